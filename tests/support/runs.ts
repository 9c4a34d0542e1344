// Builders of the engine's run data for tests, one per kind of run, typed as the engine's own (no casts):
// histories are built as a client records them and paired by the engine's rule (graders/sim/history.ts), so
// no test hand-writes a derived operation.
import type { RunData } from "../../graders/contract.ts";
import type { ComponentRunData, SystemOutcome } from "../../graders/harness/component/run.ts";
import type { NodeRunData } from "../../graders/harness/node/run.ts";
import { emptyRunStats } from "../../graders/sim/run-stats.ts";
import { nodeIds, realmCount, type Knobs, type ScenarioSpec } from "../../graders/sim/scenario.ts";
import { pairHistory, type ClientEvent, type ClientOperation, type OperationStatus } from "../../graders/sim/history.ts";

/** How a test operation ended: a completion's status, or "pending" (the history ended before one). */
export type Outcome = OperationStatus | "pending";

export interface OpSpec {
  process: string;
  f: string;
  node?: string;
  /** The invoke's value. */
  value: unknown;
  /** The completion's value (what a read returned). */
  output?: unknown;
  outcome?: Outcome;
  invokeMs: number;
  returnMs: number;
  code?: number;
}

/** The invoke and completion a simulated client records for the operation. */
export function clientEvents(spec: OpSpec): ClientEvent[] {
  const node = spec.node ?? "n1";
  const outcome = spec.outcome ?? "ok";
  const invoke: ClientEvent = { process: spec.process, type: "invoke", f: spec.f, value: spec.value, timeMs: spec.invokeMs, node };
  if (outcome === "pending") return [invoke];
  const completion: ClientEvent = { process: spec.process, type: outcome, f: spec.f, value: outcome === "ok" ? spec.output : spec.value, timeMs: spec.returnMs, node };
  if (spec.code !== undefined) completion.code = spec.code;
  return [invoke, completion];
}

/** One operation as the checkers see it: its events paired by the engine's rule. */
export function clientOp(spec: OpSpec): ClientOperation {
  return pairHistory(clientEvents(spec))[0] as ClientOperation;
}

/** A scenario for tests that judge hand-made runs: one node, a second of clients, no faults. */
export function testScenario(over: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return { name: "test", nodes: 1, durationMs: 1000, network: { latency: { dist: "constant", ms: 1 } }, workload: { name: "echo", rate: 10 }, ...over };
}

/** The knobs of such a run: seed 1, the scenario's node ids, constant latency, no loss and no faults. */
export function testKnobs(scenario: ScenarioSpec, over: Partial<Knobs> = {}): Knobs {
  return { seed: 1, nodeIds: nodeIds(realmCount(scenario)), latency: scenario.network.latency, lossRate: 0, duplicateRate: 0, clocks: {}, faults: [], ...over };
}

/** What a test says of a run: the parts it cares about, the rest left empty. */
export type RunParts<R extends RunData> = Partial<Omit<R, "harness" | "scenario" | "knobs" | "stats">> & {
  scenario?: Partial<ScenarioSpec>;
  knobs?: Partial<Knobs>;
  stats?: Partial<R["stats"]>;
};

function base<R extends RunData>(parts: RunParts<R>) {
  const scenario = testScenario(parts.scenario);
  // `undefined` means "not given"; anything else, malformed values too, is what the test hands the checks.
  return { scenario, knobs: testKnobs(scenario, parts.knobs), errors: parts.errors !== undefined ? parts.errors : [], logs: parts.logs !== undefined ? parts.logs : [] };
}

/** A node run: its client history (build it with clientEvents), trace and stats as given, the rest empty. */
export function nodeRun(parts: RunParts<NodeRunData> = {}): NodeRunData {
  const { scenario, knobs, stats, ...rest } = parts;
  return { ...rest, harness: "node", ...base(parts), history: parts.history ?? [], trace: parts.trace ?? [], stats: { ...emptyRunStats(), ...stats } };
}

/** A component run: the system's outcome as given (figures, series, record hash), the rest empty. */
export function componentRun(components: Partial<SystemOutcome> = {}, parts: RunParts<ComponentRunData> = {}): ComponentRunData {
  const outcome: SystemOutcome = { figures: {}, series: {}, recordHash: "", events: 0, simulatedMs: 0, ...components };
  return { harness: "component", ...base(parts), stats: { events: outcome.events, simulatedMs: outcome.simulatedMs, ...parts.stats }, components: outcome };
}
