/**
 * Which engine runs a scenario: the request-level component engine when the scenario's workload is a
 * component system, the node simulator otherwise. Isomorphic, so both sandboxes (isolated-vm's simulator
 * realm and the browser Worker) pick the same engine for the same scenario.
 */
import { Simulator, type SimResult } from "./simulator.ts";
import type { Knobs, ScenarioSpec } from "./scenario.ts";
import { getWorkload } from "../workloads/index.ts";
import { getComponentSystem } from "../components/index.ts";
import { ComponentEngine } from "../components/engine.ts";

export interface Engine {
  /** Gives a realm's entry function to the engine (a node's, or the component's as "n1"). */
  attach(realm: string, entry: (...args: never[]) => unknown): void;
  /** "done", "yield" (continuations pending) or "restart <realm>" (the host must make a fresh realm). */
  run(): string;
  /** Asked now and then whether to stop; run() then says "interrupted" (engines that loop long support it). */
  interrupt?: (() => boolean) | undefined;
  /** Whose code runs now, for a verdict when the host stops the run. */
  readonly current: string;
  /** The run's plain data as JSON (for a host in another realm). */
  result(): string;
  /** The same data as plain objects (for a host in the same realm). */
  resultData(): SimResult;
}

export type Harness = "node" | "component";

export function harnessOf(scenario: ScenarioSpec): Harness {
  return getComponentSystem(scenario.workload.name) ? "component" : "node";
}

export function createEngine(scenario: ScenarioSpec, knobs: Knobs): Engine {
  const system = getComponentSystem(scenario.workload.name);
  if (system) return new ComponentEngine(scenario, knobs, system) as unknown as Engine;
  return new Simulator(scenario, knobs, getWorkload(scenario.workload.name)) as unknown as Engine;
}
