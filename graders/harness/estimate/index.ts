/**
 * The estimate harness: the learner writes a function from stated assumptions to figures (estimate/), the
 * engine calls it once per run with assumptions drawn from the seed, and the checks compare every figure
 * with the drill's own model. Its runs record no client history and no messages: the history hash is the
 * assumptions and the learner's reply.
 */
import { drawAssumptions, drillChecks, EstimateEngine, estimateFigures, getDrill, judgeEstimate, drills } from "../../estimate/index.ts";
import type { Drill } from "../../estimate/types.ts";
import { formatAssumption } from "../../estimate/numbers.ts";
import { createEstimateRuntime } from "./realm/runtime.ts";
import { describeValue } from "../../report/describe-value.ts";
import { hashText } from "../../report/hash.ts";
import { jsonText } from "../../report/json-text.ts";
import type { ScenarioSpec } from "../../sim/scenario.ts";
import type { EstimateRunData } from "./run.ts";
import type { Engine, Harness } from "../types.ts";

function drillNamed(name: string): Drill {
  const drill = getDrill(name);
  if (!drill) throw new Error(`unknown estimation drill "${name}" (known: ${Object.keys(drills).join(", ")})`);
  return drill;
}
const drillOf = (scenario: ScenarioSpec): Drill => drillNamed(scenario.workload.name);

/**
 * The learner's numbers rounded to 12 significant digits before hashing: their own Math.log or Math.pow may
 * differ in the last bit between JavaScript engines, which must not change the hash; no grade turns on a
 * difference that small.
 */
const hashable = (value: number | string): number | string => (typeof value === "number" ? Number(value.toPrecision(12)) : value);

function historyText(run: EstimateRunData): string {
  const { drill, assumptions, reply, fault } = run.estimate;
  return jsonText({ drill, assumptions, reply: reply?.map(([name, value]) => [name, hashable(value)]), fault });
}

const checksByDrill = new Map<string, ReturnType<typeof drillChecks>>();

export const estimateHarness: Harness<EstimateRunData> = {
  name: "estimate",
  runs: (scenario) => getDrill(scenario.workload.name) !== undefined,
  scenarioProblems: (scenario) => (scenario.nodes !== undefined || scenario.realms !== undefined ? ["an estimation drill runs in one realm: its scenario has neither nodes nor realms"] : []),
  createEngine: (scenario, knobs) => new EstimateEngine(knobs, drillOf(scenario)) as unknown as Engine,
  createRuntime: createEstimateRuntime,
  checks(scenario) {
    const drill = drillOf(scenario);
    let checks = checksByDrill.get(drill.name);
    if (!checks) checksByDrill.set(drill.name, (checks = drillChecks(drill)));
    return checks;
  },
  // The drills' own "no-errors" speaks of the function, not of nodes; nothing else generic has data here.
  genericChecks: {},
  describeSystem(name) {
    const drill = drillNamed(name);
    return {
      kind: "estimation drill",
      summary: drill.summary,
      messages: [],
      facts: [
        ...drill.assumptions.map((a) => ({ label: a.name, text: `${a.description} (drawn per seed from ${describeValue(a.choices ?? [a.min, a.max]).replace(", ", a.choices ? ", " : " to ")})` })),
        ...drill.steps.map((s) => ({ label: s.figure, text: `${s.description}: ${s.rule} (check ${s.check})` })),
      ],
    };
  },
  describeKnobs(scenario, _knobs, seed) {
    const drill = drillOf(scenario);
    const a = drawAssumptions(drill, seed);
    return [`assumptions: ${drill.assumptions.map((spec) => `${spec.name} ${formatAssumption(a[spec.name]!)}`).join(", ")}`];
  },
  historyHash: (run) => hashText(historyText(run)),
  figures: (run, runWallMs) => ({ events: run.stats.events, simulatedMs: 0, wallMs: runWallMs, ...estimateFigures(judgeEstimate(run)) }),
  wireErrorCodes: false,
  // A drill's figures are its reply, judged line by line in the message: no line of their own.
  figureLabels: [],
  totals: () => ({ ops: 0, serverMessages: 0, okLatenciesMs: [] }),
};
