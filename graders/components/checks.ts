/** Checks any component system offers: the component's own errors, and for request-level systems client-observed latency and errors. */
import { formatMs } from "../report/format.ts";
import { asText } from "../report/json-text.ts";
import { runErrorsMax } from "../sim/defaults.ts";
import type { ComponentCheck, ComponentRunData } from "./types.ts";

type RecordedError = ComponentRunData["errors"][number];

/** Where an error happened, in the system's own terms (a realm's name, a time, a read's number). */
export type ErrorPlace = (error: RecordedError) => string;

/** The default place: the realm ("component" alone, or the instance's realm) and the virtual time. */
const atTime: ErrorPlace = (e) => `${asText(e.node) === "component" ? "the component" : `the component in realm ${asText(e.node)}`} at ${formatMs(e.timeMs)}`;

/**
 * "no-errors" for a component system: the generic one speaks of nodes and messages, which a component
 * exercise has none of. An error here is the component throwing, lacking a method, or answering with
 * something the system cannot read (each system reports those through port.complain).
 */
export function componentErrorsCheck(place: ErrorPlace = atTime): ComponentCheck {
  return (run) => {
    if (run.errors.length === 0) return { ok: true, message: "the component never threw, and the system could read every answer it gave" };
    const e = run.errors[0]!;
    const more = run.errors.length > 1 ? ` (and ${run.errors.length - 1} more errors${run.errors.length >= runErrorsMax ? `, only the first ${runErrorsMax} recorded` : ""})` : "";
    // The text is the learner's own where the component threw: it may be any JSON value.
    return { ok: false, message: `${place(e)}: ${asText(e.text)}${more}` };
  };
}

export const requestChecks: Record<string, ComponentCheck> = {
  "no-errors": componentErrorsCheck(),
  /** Latency of ok requests from their intended send time. Params: p50Max, p99Max, p999Max (ms). */
  latency(run, params) {
    const f = run.components.figures;
    const over: string[] = [];
    for (const [key, param] of [["latencyP50Ms", "p50Max"], ["latencyP99Ms", "p99Max"], ["latencyP999Ms", "p999Max"]] as const) {
      const limit = params[param];
      if (limit !== undefined && f[key]! > limit) over.push(`${param.slice(0, -3)} ${formatMs(f[key]!)} > ${formatMs(limit)}`);
    }
    const summary = `p50 ${formatMs(f.latencyP50Ms!)}, p99 ${formatMs(f.latencyP99Ms!)}, p999 ${formatMs(f.latencyP999Ms!)}`;
    if (over.length) return { ok: false, message: `requests are too slow: ${over.join(", ")} (${summary}; ${f.requests} requests, latency counted from each request's intended send time)` };
    return { ok: true, message: `latency ${summary}` };
  },
  /**
   * Share of requests that did not succeed (errors, timeouts, drops), beyond those the system fails on
   * purpose whatever the component does (`injectedFailures`: a server's own errors, replies lost on the
   * way back), which no component could avoid. Param: max (0…1).
   */
  "error-rate"(run, params) {
    const f = run.components.figures;
    const max = params.max ?? 0;
    const injected = f.injectedFailures ?? 0;
    const failed = f.requests! - f.ok! - injected;
    // Rounded as the figures are, so a rate reads the same in the message and in the verdict.
    const rate = f.requests ? Math.round((failed / f.requests) * 1000) / 1000 : 0;
    const besides = injected ? `, besides the ${injected} the system failed on purpose (server errors and lost replies, which no choice avoids)` : "";
    const text = `${failed} of ${f.requests} requests failed (${(rate * 100).toFixed(2)}%)${besides}; in all ${f.errors} errors, ${f.timeouts} timeouts, ${f.dropped} dropped by full queues`;
    if (rate > max) return { ok: false, message: `${text}, more than the ${(max * 100).toFixed(2)}% allowed` };
    return { ok: true, message: text };
  },
};
