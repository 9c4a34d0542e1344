/**
 * The protocol between the estimate engine and the learner's realm: entry(kind, arg) → string, strings
 * only both ways, so no object crosses a realm boundary.
 *   entry("seed", "<seed>")            seeds the realm's Math.random; answers ""
 *   entry("estimate", "<assumptions>") calls the default export with the assumptions (JSON); answers
 *                                      "r<fields>" (a JSON array of [name, value] pairs, value a finite number or
 *                                      the words of what it was instead) or "f<fault>"
 *   entry("logs", "")                  "l<lines>": what the function logged, as a JSON array of strings
 * The first character tags the answer, so nothing the learner returns can pass for a fault or for logs.
 */
/** One figure of an answer: its field name and a finite number, or the words of what it was instead. */
export type ReplyField = [name: string, value: number | string];

export const EstimateEntry = { Seed: "seed", Estimate: "estimate", Logs: "logs" } as const;

/** The most fields an answer may have: a drill has a handful; more is a mistake or an attack on the grader. */
export const maxReplyFields = 64;
/** The longest field name kept: longer ones are cut (and are unknown fields anyway). */
export const maxFieldName = 80;

const replyTag = "r";
const faultTag = "f";
const logsTag = "l";

export const encodeReply = (fields: ReplyField[]): string => `${replyTag}${JSON.stringify(fields)}`;
export const encodeFault = (text: string): string => `${faultTag}${text}`;
export const encodeLogs = (lines: string[]): string => `${logsTag}${JSON.stringify(lines)}`;

export type DecodedReply = { fields: ReplyField[]; fault?: undefined } | { fields?: undefined; fault: string };

/** Reads the realm's answer; anything off-protocol is a fault, never an answer. */
export function decodeReply(answer: unknown): DecodedReply {
  if (typeof answer !== "string") return { fault: "the learner realm answered off-protocol" };
  if (answer.startsWith(faultTag)) return { fault: answer.slice(1) };
  if (!answer.startsWith(replyTag)) return { fault: "the learner realm answered off-protocol" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.slice(1));
  } catch {
    return { fault: "the learner realm answered off-protocol" };
  }
  if (!Array.isArray(parsed) || parsed.length > maxReplyFields) return { fault: "the learner realm answered off-protocol" };
  const fields: ReplyField[] = [];
  for (const pair of parsed as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") return { fault: "the learner realm answered off-protocol" };
    const value: unknown = pair[1];
    if (!(typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))) return { fault: "the learner realm answered off-protocol" };
    fields.push([pair[0].slice(0, maxFieldName), value]);
  }
  return { fields };
}

export function decodeLogs(answer: unknown): string[] {
  if (typeof answer !== "string" || !answer.startsWith(logsTag)) return [];
  try {
    const lines: unknown = JSON.parse(answer.slice(1));
    return Array.isArray(lines) ? lines.map((line) => String(line)) : [];
  } catch {
    return [];
  }
}
