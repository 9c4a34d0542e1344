/**
 * The learner's answer read against the drill: each figure's number, or what is wrong with the field (missing,
 * not a number, not finite), and every field the drill does not know, named with the figure it was
 * probably meant to be.
 */
import type { Drill, EstimateOutcome } from "./types.ts";

export interface FieldReading {
  value?: number;
  problem?: string;
}

export interface Answer {
  /** By figure name: every figure of the drill has an entry. */
  fields: Record<string, FieldReading>;
  /** Every problem with the answer as a whole, in order: a fault, then unknown fields, then bad or missing ones. */
  problems: string[];
  fault?: string;
}

/** Edit distance, capped: enough to tell a typo from another word. */
function editDistance(a: string, b: string, cap = 4): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The figure an unknown field most likely meant, if one is close. */
function likelyMeant(name: string, figures: readonly string[]): string | undefined {
  const squashed = squash(name);
  const exact = figures.find((f) => squash(f) === squashed);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = 4;
  for (const figure of figures) {
    const d = editDistance(squashed, squash(figure));
    if (d < bestDistance) [best, bestDistance] = [figure, d];
  }
  return best;
}

export function readAnswer(drill: Drill, outcome: EstimateOutcome): Answer {
  const figures = drill.steps.map((s) => s.figure);
  const fields: Record<string, FieldReading> = {};
  if (outcome.fault !== undefined || !outcome.reply) {
    const fault = outcome.fault ?? "your function gave no answer";
    for (const figure of figures) fields[figure] = { problem: "no answer (see no-errors)" };
    return { fields, problems: [fault], fault };
  }
  const given = new Map(outcome.reply);
  const problems: string[] = [];
  const assumptionNames = new Set(drill.assumptions.map((a) => a.name));
  for (const [name] of outcome.reply) {
    if (figures.includes(name)) continue;
    if (assumptionNames.has(name)) {
      problems.push(`unknown field "${name}": that is an assumption, given to your function; the answer has only figures (${figures.join(", ")})`);
      continue;
    }
    const meant = likelyMeant(name, figures.filter((f) => !given.has(f)));
    problems.push(`unknown field "${name}"${meant ? ` (did you mean ${meant}?)` : ""}: the answer's fields are ${figures.join(", ")}`);
  }
  const missing: string[] = [];
  for (const step of drill.steps) {
    const value = given.get(step.figure);
    if (value === undefined) {
      missing.push(step.figure);
      fields[step.figure] = { problem: `missing: the answer has no ${step.figure}, ${step.description}` };
    } else if (typeof value === "string") {
      const problem = `${step.figure} is ${value}, not a finite number`;
      fields[step.figure] = { problem };
      problems.push(problem);
    } else fields[step.figure] = { value };
  }
  if (missing.length) problems.push(`missing ${missing.length === 1 ? "field" : "fields"}: ${missing.join(", ")}`);
  return { fields, problems };
}
