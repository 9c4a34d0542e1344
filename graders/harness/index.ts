/**
 * The harness registry: the one place that lists the kinds of exercise. Everything that depends on the
 * kind (which engine runs a scenario, which runtime a learner realm boots, which checks and figures a run
 * has) asks the harness, so adding one is a module and a line here.
 */
import type { ScenarioSpec } from "../sim/scenario.ts";
import type { RunData, RunOf } from "../contract.ts";
import { componentHarness } from "./component/index.ts";
import { designHarness } from "./design/index.ts";
import { estimateHarness } from "./estimate/index.ts";
import { nodeHarness } from "./node/index.ts";
import type { Harness, HarnessName } from "./types.ts";
import type { FigureLabel } from "../report/figure-lines.ts";

const registry: { readonly [H in HarnessName]: Harness<RunOf<H>> } = {
  node: nodeHarness,
  component: componentHarness,
  estimate: estimateHarness,
  design: designHarness,
};

/**
 * The harnesses with their kind of run erased, for the code that picks one by scenario or name (grade.ts,
 * the sandboxes): each is handed only runs of its own kind, which judgeableRun() holds.
 */
export const harnesses = registry as unknown as Readonly<Record<HarnessName, Harness>>;

/** A run its harness may judge: one of another kind is a sandbox's or an engine's bug, never a verdict. */
export function judgeableRun(harness: Harness, run: RunData): RunData {
  if (run.harness !== harness.name) throw new Error(`a ${harness.name} scenario's run came back as a ${String(run.harness)} run`);
  return run;
}

export function getHarness(name: HarnessName | undefined): Harness {
  const harness = Object.hasOwn(harnesses, name ?? "node") ? harnesses[name ?? "node"] : undefined;
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

/**
 * The figure labels of a harness's runs for the CLI's report; without a harness (a file graded with no
 * exercise), every harness's, each key once.
 */
export function figureLabelsOf(name: HarnessName | undefined): readonly FigureLabel[] {
  if (name !== undefined) return getHarness(name).figureLabels;
  const byKey = new Map<string, FigureLabel>();
  for (const harness of Object.values(harnesses)) for (const label of harness.figureLabels) if (!byKey.has(label.key)) byKey.set(label.key, label);
  return [...byKey.values()];
}

export { describeNodeKnobs } from "./node/index.ts";
export type { Engine, Harness, HarnessName, LearnerRuntime, SystemDescription } from "./types.ts";
