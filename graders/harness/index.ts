/**
 * The harness registry: the one place that lists the kinds of exercise. Everything that depends on the
 * kind (which engine runs a scenario, which runtime a learner realm boots, which checks and figures a run
 * has) asks the harness, so adding one is a module and a line here.
 */
import type { ScenarioSpec } from "../sim/scenario.ts";
import { componentHarness } from "./component.ts";
import { designHarness } from "./design.ts";
import { estimateHarness } from "./estimate.ts";
import { nodeHarness } from "./node.ts";
import type { Harness, HarnessName } from "./types.ts";

export const harnesses: Readonly<Record<HarnessName, Harness>> = {
  node: nodeHarness,
  component: componentHarness,
  estimate: estimateHarness,
  design: designHarness,
};

export function getHarness(name: HarnessName | undefined): Harness {
  const harness = name === undefined ? nodeHarness : Object.hasOwn(harnesses, name) ? harnesses[name] : undefined;
  if (!harness) throw new Error(`unknown harness "${String(name)}" (known: ${Object.keys(harnesses).join(", ")})`);
  return harness;
}

/** The harness that runs a scenario, derived from its workload; an unknown workload is an authoring error. */
export function harnessFor(scenario: ScenarioSpec): Harness {
  const found = Object.values(harnesses).filter((h) => h.runs(scenario));
  if (found.length !== 1) {
    throw new Error(found.length === 0 ? `scenario "${scenario.name}": no harness runs the workload "${scenario.workload.name}"` : `scenario "${scenario.name}": the workload "${scenario.workload.name}" is claimed by ${found.map((h) => h.name).join(" and ")}`);
  }
  return found[0]!;
}

export { describeNodeKnobs } from "./node.ts";
export type { Engine, Harness, HarnessName, LearnerRuntime } from "./types.ts";
