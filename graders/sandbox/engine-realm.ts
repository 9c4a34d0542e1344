/**
 * Bootstraps the engine's own realm inside the isolated-vm sandbox (a composition root: it sits in the
 * sandbox layer because it picks the harness). The host talks to it through
 * globals that take and return strings (named in protocol/host.ts); learner realms' entry functions are
 * handed over one at a time through a slot the host fills. Which engine runs the scenario is the
 * harness's (harness/index.ts, shared with the one-realm sandbox).
 */
import { harnessFor, type Engine } from "../harness/index.ts";
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import { EngineGlobal, fatalResultPrefix } from "../protocol/host.ts";

const g = globalThis as Record<string, unknown>;
let sim: Engine | undefined;

g[EngineGlobal.Create] = (scenarioJson: string, knobsJson: string): void => {
  const scenario = JSON.parse(scenarioJson) as ScenarioSpec;
  sim = harnessFor(scenario).createEngine(scenario, JSON.parse(knobsJson) as Knobs);
};
/** Takes the entry function the host placed in the slot for the given realm. */
g[EngineGlobal.Attach] = (realm: string): void => {
  const entry = g[EngineGlobal.EntrySlot] as (...args: never[]) => unknown;
  delete g[EngineGlobal.EntrySlot];
  sim!.attach(realm, entry);
};
g[EngineGlobal.Run] = (): string => sim!.run();
g[EngineGlobal.Current] = (): string => sim?.current ?? "";
/** The run's data as JSON (what every engine's result() is), or its fatal error, marked (protocol/host.ts). */
g[EngineGlobal.Result] = (): string => {
  const data = sim!.resultData();
  return data.fatal ? `${fatalResultPrefix}${data.fatal}` : JSON.stringify(data);
};
