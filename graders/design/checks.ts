/**
 * The gates of a design task, judged on the run's plain data outside the sandbox: the design ran without
 * errors, SLOs per request type (latency, availability), recovery (RTO), durability (RPO), a cost budget,
 * and no hot shard. Each message says what was expected, what the run measured, and where to look. The
 * prompt adds its own correctness checks (prompts/).
 */
import type { CheckOutcome } from "../contract.ts";
import type { DesignRunData } from "../harness/design/run.ts";
import { formatMs } from "../report/format.ts";
import { asText } from "../report/json-text.ts";
import { runErrorsMax } from "../sim/defaults.ts";

/** How the engine words a design it refused (simulation.ts). */
const invalidPrefix = "the design is not valid: ";

export type DesignCheck = (run: DesignRunData, params: Record<string, number>) => CheckOutcome;

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;
const usd = (x: number) => `$${Math.round(x).toLocaleString("en-US")}`;

/** The figure for each request type the params name: `resolveP99Max` → ("resolve", 99). */
function perType(params: Record<string, number>, suffix: string): Array<[type: string, limit: number]> {
  return Object.entries(params)
    .filter(([k]) => k.endsWith(suffix))
    .map(([k, v]) => [k.slice(0, -suffix.length), v]);
}

export const designChecks: Record<string, DesignCheck> = {
  "no-errors"(run) {
    const errors = run.errors;
    // The run's errors, not the findings: the grader has mapped their places to the learner's own lines.
    const invalid = errors.filter((e) => asText(e.text).startsWith(invalidPrefix));
    if (invalid.length) return { ok: false, message: `the design cannot run: ${invalid.map((e) => asText(e.text).slice(invalidPrefix.length)).join("; ")}` };
    if (errors.length === 0) return { ok: true, message: "the design ran without errors: every call named a component and an op it has, and every handler returned" };
    const first = errors[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more${errors.length >= runErrorsMax ? `, only the first ${runErrorsMax} recorded` : ""})` : "";
    return { ok: false, message: `${asText(first.text)} (at ${formatMs(first.timeMs)} of the run)${more}` };
  },

  /** Params: `<type>P50Max`, `<type>P99Max`, `<type>P999Max` in ms, e.g. resolveP99Max. */
  latency(run, params) {
    const f = run.design.figures;
    const over: string[] = [];
    const seen: string[] = [];
    for (const [q, suffix] of [["p50", "P50Max"], ["p99", "P99Max"], ["p999", "P999Max"]] as const) {
      for (const [type, limit] of perType(params, suffix)) {
        const value = f[`${type}.${q}Ms`];
        if (value === undefined) continue;
        seen.push(`${type} ${q} ${formatMs(value)}`);
        if (value > limit) over.push(`${type} ${q} ${formatMs(value)} > ${formatMs(limit)}`);
      }
    }
    if (over.length) {
      const phase = run.design.figures["resolve.during.p99Ms"] !== undefined ? ` (during the fault: ${Object.keys(f).filter((k) => k.endsWith(".during.p99Ms")).map((k) => `${k.split(".")[0]} p99 ${formatMs(f[k]!)}`).join(", ")})` : "";
      return { ok: false, message: `too slow: ${over.join(", ")}${phase}; latency counts from when the user sent the request, their retries included. Look at the slowest call on the path: a synchronous write to another region, a queue in front of a saturated pool, a hot shard` };
    }
    return { ok: true, message: `latency within the SLO: ${seen.join(", ")}` };
  },

  /** Params: `min` for every request type, or `<type>Min` (0…1), over the whole run. */
  availability(run, params) {
    const f = run.design.figures;
    const types = Object.keys(f).filter((k) => /^[a-z]+\.availability$/.test(k)).map((k) => k.split(".")[0]!);
    const low: string[] = [];
    const all: string[] = [];
    for (const type of types) {
      const limit = params[`${type}Min`] ?? params.min;
      if (limit === undefined) continue;
      const value = f[`${type}.availability`]!;
      all.push(`${type} ${pct(value)}`);
      if (value < limit) {
        const during = f[`${type}.during.availability`];
        low.push(`${type} ${pct(value)} < ${pct(limit)}${during !== undefined ? ` (${pct(during)} during the fault)` : ""}`);
      }
    }
    if (low.length) return { ok: false, message: `too many requests failed: ${low.join(", ")}. A failure domain the design depends on whole (one zone, one primary without a replica, one cache node for a hot key) takes the requests that need it` };
    return { ok: true, message: `availability ${all.join(", ")}` };
  },

  /** Param: maxSec, from the fault's start to 99% success in every 5 s window after. */
  rto(run, params) {
    const f = run.design.figures;
    const rto = f.rtoSec!;
    const max = params.maxSec ?? 60;
    if (rto < 0) return { ok: false, message: `the design never recovered: some 5-second window at the end of the run still had fewer than 99% of requests succeed (RTO ∞, the budget is ${max} s). Without a replica to fail over to, a store waits for its failed primary; retries without a budget can keep an overload going after its cause is gone` };
    if (rto > max) return { ok: false, message: `RTO ${rto} s: it took that long from the fault to 99% success again, more than the ${max} s allowed (detection, failover and warm-up all count)` };
    return { ok: true, message: `RTO ${rto} s (at most ${max} s)` };
  },

  /** Param: maxLostWrites (default 0): acknowledged writes the stores lost in a failover. */
  rpo(run, params) {
    const f = run.design.figures;
    const max = params.maxLostWrites ?? 0;
    // At full traffic: the sample's own lost writes, or the writes of the promoted replica's lag at the failure.
    const lost = f.lostWritesReal ?? 0;
    if (lost > max) return { ok: false, message: `about ${lost} acknowledged writes were lost when the primary failed (${f.lostWrites ?? 0} of them in the simulated sample): the replica that took over was ${Math.round((f.rpoSec ?? 0) * 1000)} ms behind (RPO ${f.rpoSec} s), and what the old primary had acknowledged in that time is gone. Asynchronous replication acknowledges before a replica has the write; synchronous replication to a replica in another zone loses none` };
    return { ok: true, message: lost === 0 ? "no acknowledged write was lost (RPO 0)" : `about ${lost} acknowledged writes lost (at most ${max} allowed)` };
  },

  /**
   * Param: maxAmplification (default 2): while the fault lasts, the attempts each call to a component
   * made on average, retries included. A failing component answers slowly or not at all; retries without
   * a budget then multiply the load on it exactly when it can least take it (a retry storm, the usual
   * cause of an overload that outlasts its trigger).
   */
  "retry-storm"(run, params) {
    const f = run.design.figures;
    const max = params.maxAmplification ?? 2;
    const seen = Object.keys(f).filter((k) => k.startsWith("faultAttemptsPerCall.")).map((k) => [k.slice("faultAttemptsPerCall.".length), f[k]!] as const);
    const storms = seen.filter(([, x]) => x > max);
    if (storms.length) return { ok: false, message: `a retry storm: while the fault lasted, ${storms.map(([c, x]) => `each call to ${c} took ${x} attempts`).join(", ")} on average (at most ${max}). Retries without a budget multiply the load on a failing component when it can least take it, and can keep it overloaded after the fault has gone: give the calls a retry budget (retryBudget: 0.1) and a backoff` };
    return { ok: true, message: seen.length ? `no retry storm: during the fault ${seen.map(([c, x]) => `${c} ${x}`).join(", ")} attempts per call (at most ${max})` : "no call was made during the fault" };
  },

  /** Param: maxUsdPerMonth. */
  cost(run, params) {
    const cost = run.design.cost;
    const total = cost.total ?? NaN;
    const max = params.maxUsdPerMonth ?? Infinity;
    const lines = Object.entries(cost).filter(([k, v]) => k !== "total" && v > 0).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${usd(v)}`).join(", ");
    if (!Number.isFinite(total)) return { ok: false, message: lines ? `the design's cost is not a finite number (${lines})` : "there is no cost to judge: no component of the design was priced (a design that did not load has none)" };
    if (total > max) return { ok: false, message: `${usd(total)}/month is over the budget of ${usd(max)} (${lines}): size for the peak with headroom, not for the worst case times ten` };
    return { ok: true, message: `${usd(total)}/month within ${usd(max)} (${lines})` };
  },

  /** Param: maxRatio (default 2): the busiest shard's operations (and, apart, its writes) over the mean shard's, per store. */
  "hot-shard"(run, params) {
    const f = run.design.figures;
    const max = params.maxRatio ?? 2;
    const stores = Object.keys(f).filter((k) => k.startsWith("hotShard.")).map((k) => k.slice(9));
    const hot: string[] = [];
    for (const store of stores) {
      const all = f[`hotShard.${store}`]!;
      const writes = f[`hotShardWrites.${store}`] ?? 1;
      if (all > max) hot.push(`${store}'s busiest shard took ${all}× the mean shard's operations`);
      else if (writes > max) hot.push(`${store}'s busiest shard took ${writes}× the mean shard's writes`);
    }
    if (hot.length) return { ok: false, message: `${hot.join("; ")} (at most ${max}×): its shard key puts the hot keys together. Range sharding keeps neighbouring keys on one shard, so sequential codes (a counter, a timestamp) send every new link, and every write, to the last shard; shard by a hash of the key` };
    return { ok: true, message: stores.length ? `shards balanced: ${stores.map((s) => `${s} ${f[`hotShard.${s}`]}× (writes ${f[`hotShardWrites.${s}`]}×)`).join(", ")}` : "no sharded store" };
  },
};
