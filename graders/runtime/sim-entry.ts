/**
 * Bootstraps the simulator's own realm inside the sandbox. The host talks to it through four globals that
 * take and return strings; node entry functions are handed over one at a time through a slot the host fills.
 */
import { Simulator } from "../sim/simulator.ts";
import { getWorkload } from "../workloads/index.ts";
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { NodeEntry } from "../sim/simulator.ts";

const g = globalThis as Record<string, unknown>;
let sim: Simulator | undefined;

g.__sim_create = (scenarioJson: string, knobsJson: string): void => {
  const scenario = JSON.parse(scenarioJson) as ScenarioSpec;
  sim = new Simulator(scenario, JSON.parse(knobsJson) as Knobs, getWorkload(scenario.workload.name));
};
/** Takes the entry function the host placed in `__entry_slot` for the given node. */
g.__sim_attach = (nodeId: string): void => {
  const entry = g.__entry_slot as NodeEntry;
  delete g.__entry_slot;
  sim!.attach(nodeId, entry);
};
g.__sim_run = (): string => sim!.run();
g.__sim_current = (): string => sim?.current ?? "";
g.__sim_result = (): string => sim!.result();
