/**
 * The component harness: the learner writes one object (a picker, a ring, a cache, a limiter…) and a
 * simulated system calls it request by request (components/). Its runs record no client history and no
 * messages: their figures, checks and record hash are the system's own.
 */
import { ComponentEngine } from "../../components/engine.ts";
import { componentSystems, getComponentSystem } from "../../components/index.ts";
import type { ComponentSystem } from "../../components/types.ts";
import { createComponentRuntime } from "./realm/runtime.ts";
import { runChecks } from "../../checkers/stats.ts";
import type { ScenarioSpec } from "../../sim/scenario.ts";
import type { ComponentRunData } from "./run.ts";
import type { Engine, Harness } from "../types.ts";
import { componentFigureLabels } from "./figures.ts";

function systemNamed(name: string): ComponentSystem {
  const system = getComponentSystem(name);
  if (!system) throw new Error(`unknown component system "${name}" (known: ${Object.keys(componentSystems).join(", ")})`);
  return system;
}
const systemOf = (scenario: ScenarioSpec): ComponentSystem => systemNamed(scenario.workload.name);

export const componentHarness: Harness<ComponentRunData> = {
  name: "component",
  runs: (scenario) => getComponentSystem(scenario.workload.name) !== undefined,
  // Its realms are instances of one object, not nodes of a cluster: the old field would boot one instance silently.
  scenarioProblems: (scenario) => (scenario.nodes !== undefined ? ["a component scenario names its instances `realms` (each a realm of its own, default 1), not `nodes`: nodes are the node harness's"] : []),
  createEngine: (scenario, knobs) => new ComponentEngine(scenario, knobs, systemOf(scenario)) as unknown as Engine,
  createRuntime: createComponentRuntime,
  checks: (scenario) => systemOf(scenario).checks,
  // A component run records no client operations: only the checks every run has data for.
  genericChecks: runChecks,
  describeSystem: (name) => ({ kind: "component system", summary: systemNamed(name).summary, messages: [], facts: [] }),
  describeKnobs: (scenario, _knobs, seed) => systemOf(scenario).describe(scenario, seed),
  // Hashed inside the sandbox, request by request (see sim/requests/recorder.ts).
  historyHash: (run) => run.components.recordHash,
  figures: (run, runWallMs) => ({ events: run.stats.events, simulatedMs: run.stats.simulatedMs, wallMs: runWallMs, ...run.components.figures }),
  wireErrorCodes: false,
  figureLabels: componentFigureLabels,
  totals: () => ({ ops: 0, serverMessages: 0, okLatenciesMs: [] }),
  series: (run) => perSecondSeries(run.components.series, run.stats.simulatedMs),
};

/**
 * The system's series as they are, plus, for each series of event times ("…AtMs", virtual ms), how many
 * events fell in each second of the run ("…PerSec"): a rate over time fits in a chart and in the cap,
 * where thousands of single times would not.
 */
export function perSecondSeries(series: Readonly<Record<string, readonly number[]>>, runMs: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(series)) {
    out[name] = [...values];
    const base = /^(.+)AtMs$/.exec(name)?.[1];
    if (!base || values.length === 0) continue;
    let lastMs = runMs;
    for (const t of values) if (Number.isFinite(t) && t > lastMs) lastMs = t;
    const seconds = Math.max(1, Math.ceil(lastMs / 1000));
    const counts = new Array<number>(seconds).fill(0);
    for (const t of values) if (Number.isFinite(t) && t >= 0) counts[Math.min(seconds - 1, Math.floor(t / 1000))]!++;
    out[`${base}PerSec`] = counts;
  }
  return out;
}
