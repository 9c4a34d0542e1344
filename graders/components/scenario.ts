/** Authoring helper: a component exercise's scenario, with the node-simulator fields it does not use filled in. */
import type { ScenarioSpec } from "../sim/scenario.ts";
import type { Options } from "./types.ts";

export interface ComponentScenarioSpec {
  name: string;
  /** A component system from graders/components (load-balancer, …). */
  system: string;
  durationMs: number;
  /** Requests per second (open loop), where the system sends requests. */
  ratePerSec?: number;
  /** A client gives up on a request after this long. */
  timeoutMs?: number;
  options?: Options;
  /** Learner realms (separate instances that share no memory); default 1. */
  realms?: number;
}

export function componentScenario(spec: ComponentScenarioSpec): ScenarioSpec {
  return {
    name: spec.name,
    ...(spec.realms !== undefined ? { realms: spec.realms } : {}),
    durationMs: spec.durationMs,
    settleMs: 0,
    network: { latency: { dist: "constant", ms: 0 } },
    workload: { name: spec.system, rate: spec.ratePerSec ?? 1, timeoutMs: spec.timeoutMs, options: spec.options },
  };
}

export function numberOption(options: Options, name: string, fallback: number): number {
  const v = options[name];
  return typeof v === "number" ? v : fallback;
}

export function listOption(options: Options, name: string, length: number, fallback: number): number[] {
  const v = options[name];
  const list = typeof v === "string" ? v.split(",").map(Number) : typeof v === "number" ? [v] : [];
  return Array.from({ length }, (_, i) => list[i] ?? (list.length === 1 ? list[0]! : fallback));
}
