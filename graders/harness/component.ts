/**
 * The component harness: the learner writes one object (a picker, a ring, a cache, a limiter…) and a
 * simulated system calls it request by request (components/). Its runs record no client history and no
 * messages: their figures, checks and record hash are the system's own.
 */
import { ComponentEngine } from "../components/engine.ts";
import { componentSystems, getComponentSystem } from "../components/index.ts";
import { isComponentRun, type ComponentSystem } from "../components/types.ts";
import { createComponentRuntime } from "../runtime/component-runtime.ts";
import { clientHistoryChecks, genericChecks } from "../checkers/stats.ts";
import type { ScenarioSpec } from "../sim/scenario.ts";
import type { CheckFn, RunData } from "../contract.ts";
import type { Engine, Harness } from "./types.ts";

function systemOf(scenario: ScenarioSpec): ComponentSystem {
  const system = getComponentSystem(scenario.workload.name);
  if (!system) throw new Error(`unknown component system "${scenario.workload.name}" (known: ${Object.keys(componentSystems).join(", ")})`);
  return system;
}

function outcomeOf(run: RunData) {
  if (!isComponentRun(run)) throw new Error("a component exercise's run carries no system outcome");
  return run.components;
}

/** The generic checks a component run has data for: none that judge client operations (it records none). */
const componentGenericChecks: Record<string, CheckFn> = Object.fromEntries(Object.entries(genericChecks).filter(([name]) => !clientHistoryChecks.has(name)));

export const componentHarness: Harness = {
  name: "component",
  runs: (scenario) => getComponentSystem(scenario.workload.name) !== undefined,
  createEngine: (scenario, knobs) => new ComponentEngine(scenario, knobs, systemOf(scenario)) as unknown as Engine,
  realmBundle: "component-realm.ts",
  createRuntime: createComponentRuntime,
  checks: (scenario) => systemOf(scenario).checks as unknown as Record<string, CheckFn>,
  genericChecks: componentGenericChecks,
  describeKnobs: (scenario, _knobs, seed) => systemOf(scenario).describe(scenario, seed),
  // Hashed inside the sandbox, request by request (see sim/requests/recorder.ts).
  historyHash: (run) => outcomeOf(run).recordHash,
  figures: (run, runWallMs) => ({ events: run.stats.events, simulatedMs: run.stats.simulatedMs, wallMs: runWallMs, ...outcomeOf(run).figures }),
  totals: () => ({ ops: 0, serverMessages: 0, okLatenciesMs: [] }),
  series: (run) => perSecondSeries(outcomeOf(run).series, run.stats.simulatedMs),
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
