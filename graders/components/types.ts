/** What a component system is (the simulated world around a learner's component) and what it hands back. */
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { Rng } from "../sim/prng.ts";
import type { CheckOutcome } from "../contract.ts";
import type { ComponentRunData, SystemOutcome } from "../harness/component/run.ts";
import type { ComponentPort } from "./port.ts";

export type Options = Record<string, string | number | boolean>;

export interface SystemContext {
  scenario: ScenarioSpec;
  knobs: Knobs;
  options: Options;
  /** The run's root random stream: fork it per purpose. */
  rng: Rng;
  /** The first (often the only) learner realm. */
  port: ComponentPort;
  /** Every learner realm, one per node id of the scenario: they share no memory. */
  ports: ComponentPort[];
}

// A component run and the system's outcome are shapes of the run contract (contract.ts), named here too
// because every component system reads them from this folder.
export type { ComponentRunData, SystemOutcome } from "../harness/component/run.ts";

export type ComponentCheck = (run: ComponentRunData, params: Record<string, number>) => CheckOutcome;

export interface ComponentSystem {
  name: string;
  /** One line for docs and errors: what the system does with the component. */
  summary: string;
  run(ctx: SystemContext): SystemOutcome;
  /** The scenario's knobs in words, one line each, for the report beside the seed. */
  describe(scenario: ScenarioSpec, seed: number): string[];
  checks: Record<string, ComponentCheck>;
}
