/**
 * The engine of one estimation run: it draws the seed's assumptions, calls the learner's function once
 * through its realm's entry (strings only), and keeps the reply as plain data. Judging happens outside
 * the sandbox (judge.ts), on that data, as for every other harness. Same host protocol as the other
 * engines: run() → "done", then result() as JSON or resultData() as plain data.
 */
import { restartSignal, Signal } from "../protocol/host.ts";
import type { Knobs } from "../sim/scenario.ts";
import type { EngineResult } from "../contract.ts";
import type { EstimateRunData } from "../harness/estimate/run.ts";
import { drawAssumptions } from "./draw.ts";
import { EstimateEntry, decodeLogs, decodeReply } from "../protocol/estimate-calls.ts";
import type { Drill, EstimateOutcome } from "./types.ts";

export type EstimateEntryFn = (kind: string, arg: string) => unknown;

/** Where the learner's function's errors and logs are said to come from (and a wall-time verdict's "node"). */
export const estimateRealmLabel = "estimate";

export type EstimateResult = EngineResult<EstimateRunData>;

export class EstimateEngine {
  current = "";
  private entry: EstimateEntryFn | undefined;
  private outcome: EstimateOutcome | undefined;
  private logs: string[] = [];
  private readonly realm: string;
  private readonly knobs: Knobs;
  private readonly drill: Drill;

  constructor(knobs: Knobs, drill: Drill) {
    this.knobs = knobs;
    this.drill = drill;
    this.realm = knobs.nodeIds[0] ?? "n1";
  }

  attach(realm: string, entry: EstimateEntryFn): void {
    if (realm === this.realm) this.entry = entry;
  }

  run(): string {
    if (this.outcome) return Signal.Done;
    // Called as a plain function: a method call would hand the engine to the realm as `this`.
    const entry = this.entry;
    if (!entry) return restartSignal(this.realm);
    const assumptions = drawAssumptions(this.drill, this.knobs.seed);
    // While the learner's function runs, a budget the host enforces is spent in it.
    this.current = estimateRealmLabel;
    entry(EstimateEntry.Seed, String(this.knobs.seed));
    const reply = decodeReply(entry(EstimateEntry.Estimate, JSON.stringify(assumptions)));
    this.logs = decodeLogs(entry(EstimateEntry.Logs, ""));
    this.current = "";
    this.outcome = { drill: this.drill.name, assumptions, ...(reply.fault !== undefined ? { fault: reply.fault } : { reply: reply.fields }) };
    return Signal.Done;
  }

  resultData(): EstimateResult {
    const outcome = this.outcome!;
    return {
      stats: { events: 1, simulatedMs: 0 },
      errors: outcome.fault !== undefined ? [{ node: estimateRealmLabel, timeMs: 0, text: outcome.fault }] : [],
      logs: this.logs.map((text) => ({ node: estimateRealmLabel, timeMs: 0, text })),
      estimate: outcome,
    };
  }

  result(): string {
    return JSON.stringify(this.resultData());
  }
}
