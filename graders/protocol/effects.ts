/**
 * The wire protocol between a node's realm and the simulator: what one call into a node returns.
 *
 * One string, lines joined by "\n". The first line is the async flag ("1": the node left promise
 * continuations pending, "0": it did not). Every further line is one effect: a one-letter tag, then fields
 * split by "\t". Free text (a log line, an error, a storage key) travels as JSON, which never holds a raw
 * tab or newline, so no escaping is needed; a message body travels as the JSON the node's runtime made and
 * the simulator forwards it unparsed. Ids and message types travel raw, so the encoder refuses separators
 * in them (the learner gets a TypeError naming the call).
 *
 * The decoder trusts nothing: a node's realm runs learner code, so every line is checked (tag, field
 * count, numbers finite and in range) and anything else is reported as malformed, never applied.
 */

/** Effect tags, one letter each: the first character of an effect line. */
export const EffectTag = {
  /** s <dest> <type> <body json>: send a message. */
  Send: "s",
  /** t <timer id> <delay ms>: arm a timer. */
  Timer: "t",
  /** k <key json> <value json | null>: write (or, with null, delete) a durable storage key. */
  Storage: "k",
  /** l <text json>: a log line. */
  Log: "l",
  /** e <text json>: learner code threw (or its promise rejected) and nothing caught it. */
  Error: "e",
} as const;

const fieldSep = "\t";
const lineSep = "\n";

/** Longest timer delay a node may ask for: a day of virtual time is far past any scenario. */
export const timerDelayMsMax = 86_400_000;

/** True when an id or message type would break the line format. */
export function hasSeparator(text: string): boolean {
  return text.indexOf(fieldSep) !== -1 || text.indexOf(lineSep) !== -1;
}

// Encoders: run inside a node's realm by its runtime. Callers have validated their arguments (the
// runtime turns a bad argument into a TypeError for the learner before it gets here).
export const encodeSend = (dest: string, type: string, bodyJson: string): string => `s\t${dest}\t${type}\t${bodyJson}`;
export const encodeTimer = (timerId: number, delayMs: number): string => `t\t${timerId}\t${delayMs}`;
export const encodeStorage = (keyJson: string, valueJson: string): string => `k\t${keyJson}\t${valueJson}`;
export const encodeLog = (textJson: string): string => `l\t${textJson}`;
export const encodeError = (textJson: string): string => `e\t${textJson}`;

/** One call's whole answer: the async flag, then the effects in the order they happened. */
export function encodeEffects(asyncPending: boolean, effects: readonly string[]): string {
  const flag = asyncPending ? "1" : "0";
  return effects.length === 0 ? flag : `${flag}\n${effects.join(lineSep)}`;
}

/** What the simulator does with each decoded effect. */
export interface EffectSink {
  send(dest: string, type: string, bodyJson: string): void;
  timer(timerId: number, delayMs: number): void;
  /** `valueJson` null deletes the key. */
  storage(key: string, valueJson: string | null): void;
  log(text: string): void;
  error(text: string): void;
  /** A line that is not an effect: the runtime was subverted or is broken. Decoding stops there. */
  malformed(reason: string): void;
  /** Asked after each effect: true stops decoding (e.g. a budget was exceeded). */
  stopped(): boolean;
}

/**
 * Decodes one call's answer into the sink, in place (no split: most answers hold one or two lines and
 * the arrays were pure garbage on the simulator's hottest path). Returns the async flag.
 */
export function decodeEffects(raw: string, sink: EffectSink): boolean {
  const flag = raw.charCodeAt(0);
  if ((flag !== 48 && flag !== 49) || (raw.length > 1 && raw.charCodeAt(1) !== 10)) {
    sink.malformed(`the answer does not start with the async flag: ${preview(raw)}`);
    return false;
  }
  let start = raw.length > 1 ? 2 : -1;
  while (start >= 0 && start <= raw.length) {
    const next = raw.indexOf(lineSep, start);
    const end = next < 0 ? raw.length : next;
    const problem = decodeLine(raw, start, end, sink);
    if (problem !== undefined) {
      sink.malformed(`${problem}: ${preview(raw.slice(start, end))}`);
      break;
    }
    if (sink.stopped()) break;
    start = next < 0 ? -1 : next + 1;
  }
  return flag === 49;
}

/** Applies one line, or says what is wrong with it. */
function decodeLine(raw: string, start: number, end: number, sink: EffectSink): string | undefined {
  if (end - start < 2 || raw.charCodeAt(start + 1) !== 9) return "an effect line must be a tag and tab-separated fields";
  const a = raw.indexOf(fieldSep, start + 2);
  const fieldA = a < 0 || a >= end ? end : a;
  switch (raw.charAt(start)) {
    case EffectTag.Send: {
      const b = raw.indexOf(fieldSep, fieldA + 1);
      if (fieldA === end || b < 0 || b >= end) return "a send needs a destination, a type and a body";
      const dest = raw.slice(start + 2, fieldA);
      const type = raw.slice(fieldA + 1, b);
      const body = raw.slice(b + 1, end);
      if (dest.length === 0 || type.length === 0 || body.length === 0) return "a send has an empty field";
      sink.send(dest, type, body);
      return undefined;
    }
    case EffectTag.Timer: {
      if (fieldA === end) return "a timer needs an id and a delay";
      const id = Number(raw.slice(start + 2, fieldA));
      const delayMs = Number(raw.slice(fieldA + 1, end));
      if (!Number.isSafeInteger(id) || id < 1) return "a timer id must be a positive integer";
      if (!Number.isSafeInteger(delayMs) || delayMs < 1 || delayMs > timerDelayMsMax) return `a timer delay must be a whole number of ms from 1 to ${timerDelayMsMax}`;
      sink.timer(id, delayMs);
      return undefined;
    }
    case EffectTag.Storage: {
      if (fieldA === end) return "a storage write needs a key and a value";
      const key = parseJsonString(raw.slice(start + 2, fieldA));
      if (key === undefined) return "a storage key must be a JSON string";
      const value = raw.slice(fieldA + 1, end);
      if (value.length === 0) return "a storage write has no value";
      sink.storage(key, value === "null" ? null : value);
      return undefined;
    }
    case EffectTag.Log:
    case EffectTag.Error: {
      if (fieldA !== end) return "a log or error line has one field";
      const text = parseJsonString(raw.slice(start + 2, end));
      if (text === undefined) return "a log or error text must be a JSON string";
      if (raw.charAt(start) === EffectTag.Log) sink.log(text);
      else sink.error(text);
      return undefined;
    }
    default:
      return `unknown effect tag "${raw.charAt(start)}"`;
  }
}

function parseJsonString(json: string): string | undefined {
  if (json.charCodeAt(0) !== 34) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function preview(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(shown);
}
