/** Checks any request-level component system offers: client-observed latency and errors. */
import { formatMs } from "../report/format.ts";
import type { ComponentCheck } from "./types.ts";

export const requestChecks: Record<string, ComponentCheck> = {
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
  /** Share of requests that did not succeed (errors, timeouts, drops). Param: max (0…1). */
  "error-rate"(run, params) {
    const f = run.components.figures;
    const max = params.max ?? 0;
    const text = `${f.requests! - f.ok!} of ${f.requests} requests failed (${(f.errorRate! * 100).toFixed(2)}%: ${f.errors} errors, ${f.timeouts} timeouts, ${f.dropped} dropped by full queues)`;
    if (f.errorRate! > max) return { ok: false, message: `${text}, more than the ${(max * 100).toFixed(2)}% allowed` };
    return { ok: true, message: text };
  },
};
