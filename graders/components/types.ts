/** What a component system is (the simulated world around a learner's component) and what it hands back. */
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { Rng } from "../sim/prng.ts";
import type { CheckOutcome, RunData } from "../contract.ts";
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

/** Plain data a system returns: figures for the checks and the report, and the run's record hash. */
export interface SystemOutcome {
  figures: Record<string, number>;
  /** Per-server or per-step series a check explains itself with (numbers only). */
  series: Record<string, number[]>;
  recordHash: string;
  events: number;
  simulatedMs: number;
  /** Set when the run could not finish (a budget): becomes an error verdict. */
  fatal?: string;
}

/** A run of a component exercise as the checkers see it: RunData plus the system's outcome. */
export interface ComponentRunData extends RunData {
  components: SystemOutcome;
}

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

export function isComponentRun(run: RunData): run is ComponentRunData {
  return (run as Partial<ComponentRunData>).components !== undefined;
}
