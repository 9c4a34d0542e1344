/** Authoring helper: an estimation drill's scenario (one learner realm, no network, no faults) and its task. */
import type { ScenarioSpec } from "../sim/scenario.ts";
import type { TaskDef } from "../contract.ts";
import { drillCheckSpecs } from "./checks.ts";
import { getDrill } from "./drills/index.ts";
import type { Drill } from "./types.ts";

export function estimateScenario(drill: string, name = "assumptions-per-seed"): ScenarioSpec {
  return { name, durationMs: 1, settleMs: 0, network: { latency: { dist: "constant", ms: 0 } }, workload: { name: drill, rate: 1 } };
}

function drillNamed(name: string): Drill {
  const drill = getDrill(name);
  if (!drill) throw new Error(`unknown estimation drill "${name}"`);
  return drill;
}

/** The one task of a drill: every figure graded against the model, on assumptions drawn per seed. */
export function estimateTask(name: string): TaskDef {
  const drill = drillNamed(name);
  return {
    id: "estimate",
    title: drill.title,
    description: `New assumptions every seed; each of the ${drill.steps.length} figures must come within 2× of the model's (within 10× earns partial credit).`,
    scenarios: [estimateScenario(drill.name)],
    checks: drillCheckSpecs(drill),
  };
}
