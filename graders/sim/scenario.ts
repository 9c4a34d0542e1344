/**
 * What an exercise author writes to describe one simulated run (ScenarioSpec), and what one seed expands it
 * into (Knobs): every random choice of the run is made here, up front, so the knobs can be printed beside the
 * seed and a failure replayed from them.
 */
export type LatencySpec =
  | { dist: "constant"; ms: number }
  | { dist: "uniform"; minMs: number; maxMs: number }
  | { dist: "exponential"; meanMs: number; minMs?: number };

export interface NetworkSpec {
  latency: LatencySpec;
  /** Probability that one message is lost. */
  lossRate?: number;
  /** Probability that one message is delivered twice. */
  duplicateRate?: number;
}

export type PartitionKind = "isolate-one" | "majority-minority" | "halves" | "bridge" | "one-way";

export interface FaultSpec {
  /** Random partitions drawn from the seed: one starts every `everyMs` on average and lasts `lengthMs`. */
  partitions?: { kinds?: PartitionKind[]; everyMs: number; lengthMs: number };
  /** Random node crashes (memory lost, `node.storage` kept) with a restart after `downMs`. */
  crashes?: { everyMs: number; downMs: number };
  /** Random pauses (a GC-paused or overloaded node): its messages and timers wait until it resumes. */
  pauses?: { everyMs: number; lengthMs: number };
  /** Each node's clock is off by up to this many ms (either way)… */
  clockSkewMsMax?: number;
  /** …and runs fast or slow by up to this many parts per million. */
  clockDriftPpmMax?: number;
}

export interface WorkloadSpec {
  /** A workload from graders/workloads (echo, unique-ids, broadcast, g-counter, …). */
  name: string;
  /** Client operations per second, all clients together. */
  rate: number;
  /** Number of concurrent clients (each has one operation in flight at a time). */
  clients?: number;
  /** How long a client waits for a reply before recording the operation as indeterminate. */
  timeoutMs?: number;
  /** Workload-specific options (e.g. the broadcast topology). */
  options?: Record<string, string | number | boolean>;
}

export interface ScenarioSpec {
  name: string;
  nodes: number;
  /** Length of the safety phase: the workload runs and faults are injected. */
  durationMs: number;
  /** Liveness phase: faults healed, no new operations; state must converge within this deadline. */
  settleMs?: number;
  network: NetworkSpec;
  faults?: FaultSpec;
  workload: WorkloadSpec;
}

export type FaultEvent =
  | { atMs: number; kind: "partition"; label: string; blocked: Array<[string, string]> }
  | { atMs: number; kind: "heal" }
  | { atMs: number; kind: "crash"; node: string }
  | { atMs: number; kind: "restart"; node: string }
  | { atMs: number; kind: "pause"; node: string; untilMs: number };

export interface Knobs {
  seed: number;
  nodeIds: string[];
  latency: LatencySpec;
  lossRate: number;
  duplicateRate: number;
  clocks: Record<string, { skewMs: number; driftPpm: number }>;
  faults: FaultEvent[];
}

export function nodeIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

/** A partition as the list of directed links it cuts. */
export function blockedLinks(groups: string[][], oneWay = false): Array<[string, string]> {
  const links: Array<[string, string]> = [];
  for (let g = 0; g < groups.length; g++) {
    for (let h = 0; h < groups.length; h++) {
      if (g === h || (oneWay && h < g)) continue;
      for (const a of groups[g]!) for (const b of groups[h]!) links.push([a, b]);
    }
  }
  return links;
}

/** One human line per fault, for the knobs printout and the trace view. */
export function describeFault(f: FaultEvent): string {
  switch (f.kind) {
    case "partition":
      return `${f.atMs} ms partition ${f.label}`;
    case "heal":
      return `${f.atMs} ms heal`;
    case "crash":
      return `${f.atMs} ms crash ${f.node}`;
    case "restart":
      return `${f.atMs} ms restart ${f.node}`;
    case "pause":
      return `${f.atMs} ms pause ${f.node} until ${f.untilMs} ms`;
  }
}
