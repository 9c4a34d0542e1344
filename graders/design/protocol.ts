/**
 * The wire protocol between the design engine and the design's realm (harness/design/realm/runtime.ts): the
 * engine calls entry(kind, nowMs, a, b, s) with strings and numbers only, and gets one string back.
 *
 *   "spec"     a = seed            → "s" + the design as JSON (DesignData), or "f" + what is wrong
 *   "start"    a = request, b = zone index, s = "<type>\t<instance>\t<request JSON>"  → effects; the
 *              handler runs on that pool instance's own copy of the design's module (made at its first
 *              start: see world.ts InstanceMemory)
 *   "drop"     a = instance: that instance is gone (crashed, its zone failed, scaled in): its copy of the
 *              module, and the state it held, is forgotten → effects
 *   "resolve"  a = call, b = 0 ok | 1 error, s = the value's JSON (ok) or "<reason>\t<text>" → effects
 *   "flush"    only collect what promise continuations did since the last answer → effects
 *   "logs"     → "s" + the log lines as a JSON array
 *
 * Effects: the first character is the progress flag ("1": one of the realm's promise continuations ran
 * since the last answer, so more may be queued behind it; "0": none did), then lines joined by "\n", each a
 * tag and tab-separated fields:
 *   c <call> <request> <component> <op> <args JSON>    a ctx.call
 *   s <request> <component> <op> <args JSON>           a ctx.send (one-way: nothing answers it)
 *   d <request> <response JSON>                         a handler resolved
 *   x <request> <text JSON>                             a handler threw or rejected
 *   e <text JSON>                                       a misuse the runtime caught (a bad ctx.call…)
 * Component and op names travel raw: the runtime only sends names it found in the design, and those are
 * checked to hold no tab or newline when the design is read. Everything else is JSON.
 *
 * The engine decodes defensively: a realm runs learner code, so a line that is off-protocol is an error
 * that names the realm's answer, never a value.
 */

export const DesignEntry = { Spec: "spec", Start: "start", Drop: "drop", Resolve: "resolve", Flush: "flush", Logs: "logs" } as const;

export const DesignEffect = { Call: "c", Send: "s", Done: "d", Threw: "x", Error: "e" } as const;

/** Why a call failed, as the handler's CallError says it. */
export type CallFailure = "timeout" | "unavailable" | "rejected";

export const encodeCall = (call: number, request: number, component: string, op: string, argsJson: string): string => `c\t${call}\t${request}\t${component}\t${op}\t${argsJson}`;
export const encodeSend = (request: number, component: string, op: string, argsJson: string): string => `s\t${request}\t${component}\t${op}\t${argsJson}`;
export const encodeDone = (request: number, responseJson: string): string => `d\t${request}\t${responseJson}`;
export const encodeThrew = (request: number, textJson: string): string => `x\t${request}\t${textJson}`;
export const encodeMisuse = (textJson: string): string => `e\t${textJson}`;

export function encodeEffects(progress: boolean, lines: readonly string[]): string {
  const flag = progress ? "1" : "0";
  return lines.length === 0 ? flag : `${flag}\n${lines.join("\n")}`;
}

export interface DesignEffectSink {
  call(call: number, request: number, component: string, op: string, argsJson: string): void;
  send(request: number, component: string, op: string, argsJson: string): void;
  done(request: number, responseJson: string): void;
  threw(request: number, text: string): void;
  misuse(text: string): void;
  malformed(reason: string): void;
}

/** Applies one answer's effects to the sink in order; returns the progress flag. */
export function decodeDesignEffects(raw: unknown, sink: DesignEffectSink): boolean {
  if (typeof raw !== "string" || (raw[0] !== "0" && raw[0] !== "1") || (raw.length > 1 && raw[1] !== "\n")) {
    sink.malformed(`the design's realm answered off-protocol: ${preview(raw)}`);
    return false;
  }
  let start = 2;
  while (start < raw.length) {
    let end = raw.indexOf("\n", start);
    if (end < 0) end = raw.length;
    const problem = decodeLine(raw, start, end, sink);
    if (problem) {
      sink.malformed(`${problem}: ${preview(raw.slice(start, end))}`);
      break;
    }
    start = end + 1;
  }
  return raw[0] === "1";
}

/**
 * The line raw[start, end), parsed by position inside the answer: no string per line, no split, ids read
 * from the digits (a run decodes a few hundred thousand lines; the copies were a fifth of a Submit's time).
 */
function decodeLine(raw: string, start: number, end: number, sink: DesignEffectSink): string | undefined {
  if (end - start < 2 || raw.charCodeAt(start + 1) !== 9) return "an effect line is a tag and tab-separated fields";
  const tag = raw.charCodeAt(start);
  const first = start + 2;
  const a = tabIn(raw, first, end);
  switch (tag) {
    case 99 /* c: DesignEffect.Call */: {
      const b = a < 0 ? -1 : tabIn(raw, a + 1, end);
      const c = b < 0 ? -1 : tabIn(raw, b + 1, end);
      const d = c < 0 ? -1 : tabIn(raw, c + 1, end);
      if (d < 0) return "a call needs a call id, a request id, a component, an op and arguments";
      const call = numberIn(raw, first, a);
      const request = numberIn(raw, a + 1, b);
      if (!Number.isSafeInteger(call) || call < 1 || !Number.isSafeInteger(request) || request < 0) return "a call's ids must be whole numbers";
      sink.call(call, request, raw.slice(b + 1, c), raw.slice(c + 1, d), raw.slice(d + 1, end));
      return undefined;
    }
    case 115 /* s: DesignEffect.Send */: {
      const b = a < 0 ? -1 : tabIn(raw, a + 1, end);
      const c = b < 0 ? -1 : tabIn(raw, b + 1, end);
      if (c < 0) return "a send needs a request id, a component, an op and arguments";
      const request = numberIn(raw, first, a);
      if (!Number.isSafeInteger(request) || request < 0) return "a request id must be a whole number";
      sink.send(request, raw.slice(a + 1, b), raw.slice(b + 1, c), raw.slice(c + 1, end));
      return undefined;
    }
    case 100 /* d: DesignEffect.Done */: {
      if (a < 0) return "a done line needs a request id and a response";
      const request = numberIn(raw, first, a);
      if (!Number.isSafeInteger(request) || request < 0) return "a request id must be a whole number";
      sink.done(request, raw.slice(a + 1, end));
      return undefined;
    }
    case 120 /* x: DesignEffect.Threw */: {
      if (a < 0) return "a threw line needs a request id and a text";
      const request = numberIn(raw, first, a);
      const text = jsonString(raw.slice(a + 1, end));
      if (!Number.isSafeInteger(request) || request < 0 || text === undefined) return "a threw line holds a request id and a JSON string";
      sink.threw(request, text);
      return undefined;
    }
    case 101 /* e: DesignEffect.Error */: {
      const text = a < 0 ? jsonString(raw.slice(first, end)) : undefined;
      if (text === undefined) return "an error line holds one JSON string";
      sink.misuse(text);
      return undefined;
    }
    default:
      return `unknown effect tag ${JSON.stringify(raw[start])}`;
  }
}

/** The first tab in raw[from, end), or -1. */
function tabIn(raw: string, from: number, end: number): number {
  const at = raw.indexOf("\t", from);
  return at < 0 || at >= end ? -1 : at;
}

/**
 * Number(raw.slice(from, to)), read from the digits when the field is 1–15 plain digits (every id the
 * runtime writes); anything else goes through Number, so an off-protocol field reads exactly as before.
 */
function numberIn(raw: string, from: number, to: number): number {
  if (to > from && to - from <= 15) {
    let value = 0;
    let i = from;
    for (; i < to; i++) {
      const digit = raw.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === to) return value;
  }
  return Number(raw.slice(from, to));
}

function jsonString(json: string): string | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function preview(value: unknown): string {
  const text = typeof value === "string" ? value : typeof value;
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
