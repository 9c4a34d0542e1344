/**
 * Authoring helper: a design exercise's scenario. A task names the prompt, how long the run is, the
 * traffic (as a multiple of the prompt's launch traffic) and at most one fault; the reference design's
 * figures per seed, precomputed (see exercises/<slug>/reference-figures.ts), ride along so each run is
 * reported beside them.
 */
import type { ScenarioSpec } from "../sim/scenario.ts";

/** provider-outage: the provider component that delivered the most until then answers 503 and delivers nothing. */
export type FaultKind = "zone-outage" | "primary-failure" | "cache-node-loss" | "viral-key" | "storage-outage" | "region-partition" | "provider-outage" | "celebrity-post" | "replica-lag" | "ranked-timelines";

export interface DesignScenarioSpec {
  name: string;
  prompt: string;
  /** Simulated minutes (10 at the prompt's peak grades in under a second). */
  durationMin: number;
  /** Traffic over the prompt's launch traffic (default 1; 10 is "10× growth"). */
  growth?: number;
  fault?: {
    kind: FaultKind;
    atMin: number;
    forMin: number;
    /** viral-key: the share of resolves the link takes. */
    share?: number;
    /** region-partition: the region cut off from every other (its users and the design's zones in it; default "eu-west-1"). */
    region?: string;
  };
  /**
   * A surge beside the day's traffic (a marketing blast): from `atMin`, for `forMin`, requests arrive at
   * `factor` times the day's mean rate in all (the extra ones drawn as the prompt's surge requests).
   */
  surge?: { atMin: number; forMin: number; factor: number };
  /** The reference design's figures per seed, for the comparison (not a gate). */
  reference?: Record<number, ReferenceFigures>;
  /**
   * Simulated requests per second at the peak (default 60): the run simulates that sample of the users,
   * each simulated request standing for real peak / this many real ones (station.ts). Set it to the real
   * peak to run unscaled.
   */
  sampledPeakPerSec?: number;
  /** How learner continuations are drained: "microtask" (default, in the sandbox) or "host" (a yield per settle; for measurement). */
  drain?: "microtask" | "host";
}

export interface ReferenceFigures {
  costUsdPerMonth: number;
  latencyP99Ms: number;
}

export const designWorkloadPrefix = "design:";

export function designScenario(spec: DesignScenarioSpec): ScenarioSpec {
  const options: Record<string, string | number | boolean> = {
    growth: spec.growth ?? 1,
    sampledPeakPerSec: spec.sampledPeakPerSec ?? 60,
    drain: spec.drain ?? "microtask",
  };
  if (spec.fault) {
    options.fault = spec.fault.kind;
    options.faultAtMs = Math.round(spec.fault.atMin * 60_000);
    options.faultForMs = Math.round(spec.fault.forMin * 60_000);
    if (spec.fault.share !== undefined) options.viralShare = spec.fault.share;
    if (spec.fault.region !== undefined) options.faultRegion = spec.fault.region;
  }
  if (spec.surge) {
    options.surgeAtMs = Math.round(spec.surge.atMin * 60_000);
    options.surgeForMs = Math.round(spec.surge.forMin * 60_000);
    options.surgeFactor = spec.surge.factor;
  }
  if (spec.reference) options.reference = JSON.stringify(spec.reference);
  return {
    name: spec.name,
    durationMs: Math.round(spec.durationMin * 60_000),
    settleMs: 0,
    network: { latency: { dist: "constant", ms: 0 } },
    workload: { name: `${designWorkloadPrefix}${spec.prompt}`, rate: 1, options },
  };
}

export interface DesignOptions {
  prompt: string;
  durationMs: number;
  growth: number;
  sampledPeakPerSec: number;
  drain: "microtask" | "host";
  fault?: { kind: FaultKind; atMs: number; forMs: number; share: number; region: string };
  surge?: { atMs: number; forMs: number; factor: number };
}

export function designOptions(scenario: ScenarioSpec): DesignOptions {
  const o = scenario.workload.options ?? {};
  const num = (name: string, fallback: number) => (typeof o[name] === "number" ? (o[name] as number) : fallback);
  const kind = typeof o.fault === "string" ? (o.fault as FaultKind) : undefined;
  return {
    prompt: scenario.workload.name.slice(designWorkloadPrefix.length),
    durationMs: scenario.durationMs,
    growth: num("growth", 1),
    sampledPeakPerSec: num("sampledPeakPerSec", 60),
    drain: o.drain === "host" ? "host" : "microtask",
    ...(typeof o.surgeFactor === "number" ? { surge: { atMs: num("surgeAtMs", 0), forMs: num("surgeForMs", 0), factor: num("surgeFactor", 1) } } : {}),
    ...(kind ? { fault: { kind, atMs: num("faultAtMs", 0), forMs: num("faultForMs", 0), share: num("viralShare", 0.3), region: typeof o.faultRegion === "string" ? o.faultRegion : "eu-west-1" } } : {}),
  };
}

export function referenceOf(scenario: ScenarioSpec, seed: number): ReferenceFigures | undefined {
  const raw = scenario.workload.options?.reference;
  if (typeof raw !== "string") return undefined;
  return (JSON.parse(raw) as Record<string, ReferenceFigures>)[String(seed)];
}
