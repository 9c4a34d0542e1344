/**
 * Bootstraps the engine's own realm inside the sandbox. The host talks to it through globals that take
 * and return strings; realm entry functions are handed over one at a time through a slot the host fills.
 * Which engine runs the scenario is decided by sim/create-engine.ts (shared with the browser sandbox).
 */
import { createEngine, type Engine } from "../sim/create-engine.ts";
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";

const g = globalThis as Record<string, unknown>;
let sim: Engine | undefined;

g.__sim_create = (scenarioJson: string, knobsJson: string): void => {
  sim = createEngine(JSON.parse(scenarioJson) as ScenarioSpec, JSON.parse(knobsJson) as Knobs);
};
/** Takes the entry function the host placed in `__entry_slot` for the given node. */
g.__sim_attach = (nodeId: string): void => {
  const entry = g.__entry_slot as (...args: never[]) => unknown;
  delete g.__entry_slot;
  sim!.attach(nodeId, entry);
};
g.__sim_run = (): string => sim!.run();
g.__sim_current = (): string => sim?.current ?? "";
g.__sim_result = (): string => sim!.result();
