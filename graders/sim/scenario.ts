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

/**
 * Where a targeted crash strikes, counted in one node's own effects (they happen in the order its code made
 * them). A durable-state mistake shows only when a crash falls between a state change and the next message;
 * crashes at random moments almost never land there, so these aim at it:
 * - "after-storage-write": right after a `node.storage` write is applied. What the same step did after it
 *   (messages, timers, further writes) is lost: the node died before it got there.
 * - "after-send": right after it sends another node a reply (a vote, a promise, an acknowledgement: any
 *   message with `in_reply_to` to a node). The reply is delivered; anything the step did after it is lost,
 *   so a node that votes first and persists its vote second forgets it.
 * - "after-vote": right after it answers a request that its sender sent to every other node in one step,
 *   when that sender had sent it no such request for 100 ms: a candidate asking for votes or promises. (A
 *   leader's appends go to every node too, but without a pause; a forwarded request goes to one node.)
 * - "before-reply": just before it answers a client. That answer and the rest of the step are lost: the
 *   client times out, and whatever the node had only in memory is gone.
 */
export type CrashPoint = "after-storage-write" | "after-send" | "after-vote" | "before-reply";

export interface FaultSpec {
  /** Random partitions drawn from the seed: one starts every `everyMs` on average and lasts `lengthMs`. */
  partitions?: { kinds?: PartitionKind[]; everyMs: number; lengthMs: number };
  /**
   * Random node crashes (memory lost, `node.storage` kept) with a restart after `downMs`. `atOnce` nodes
   * (default 1) go down together, as when a rack loses power: with a majority down and back, a node that
   * kept its promises only in memory comes back among others that forgot theirs too.
   */
  crashes?: { everyMs: number; downMs: number; atOnce?: number };
  /**
   * Targeted crashes: one is armed every `everyMs` on average, on a node drawn from the seed, and strikes at
   * that node's `nth` effect of a kind in `at` from then on (nth drawn from 1…`nthMax`, default 3). The node
   * restarts `downMs` later (memory lost, `node.storage` kept); a short downtime brings it back while the
   * protocol round it was part of (an election, a write) is still going on. Arming a node that is already
   * armed replaces the earlier arming; one that never reaches its point does not crash.
   */
  targetedCrashes?: { everyMs: number; downMs: number; at: CrashPoint[]; nthMax?: number };
  /** Random pauses (a GC-paused or overloaded node): its messages and timers wait until it resumes. */
  pauses?: { everyMs: number; lengthMs: number };
  /**
   * Latency spikes on the whole network (a congested switch, a noisy neighbour): one starts every
   * `everyMs` on average and lasts `lengthMs`; meanwhile every message between nodes takes an extra delay
   * drawn from an exponential of mean `extraMeanMs`. Messages arrive late and out of step, so a timeout
   * tuned to the calm network suspects nodes that are fine.
   */
  latencySpikes?: { everyMs: number; lengthMs: number; extraMeanMs: number };
  /** Each node's clock is off by up to this many ms (either way)… */
  clockSkewMsMax?: number;
  /** …and runs fast or slow by up to this many parts per million. */
  clockDriftPpmMax?: number;
  /**
   * The slow end of the drift's range, in ppm (default −clockDriftPpmMax: as often slow as fast). With
   * −50000 and a max of −10000 every clock runs 1–5% slow: the worst case a drift bound of 5% allows for a
   * lease, which a node times on its own clock.
   */
  clockDriftPpmMin?: number;
  /**
   * Scripted faults (sim/fault-script.ts): steps run in order, each when its time has come and, if it names
   * one, when a node sends a message that matches. For bugs that need several faults in one order, each
   * right after a particular move of the protocol, which random faults almost never line up.
   */
  script?: ScriptStep[];
}

/** A node in a script: its id ("n1"), a name an earlier step bound ("$leader"), or in a partition "*" (the rest). */
export type ScriptNode = string;

/** A field of a matching message: equal to a literal, or a number compared with a number or a bound name ("$term"). */
export type ScriptCondition = string | number | boolean | { gt?: number | string; gte?: number | string; lt?: number | string; lte?: number | string };

export type ScriptAction =
  /**
   * Cut every link between the groups (both ways); a group with "*" also holds every node no group names,
   * and a node in no group keeps all its links. One step's partitions cut together (their links' union);
   * a later step's partition or heal replaces them. Random partitions in the same scenario would heal a
   * script's cuts, so a scenario with a partitioning script has no random partitions.
   */
  | { partition: ScriptNode[][] }
  | { heal: true }
  /** Memory lost, `node.storage` kept; it stays down until a restart (or the heal at the end of the safety phase). */
  | { crash: ScriptNode }
  | { restart: ScriptNode }
  /** Arm a targeted crash (CrashPoint): the node dies at its `nth` (default 1) such effect, back `downMs` later. */
  | { crashAt: ScriptNode; point: CrashPoint; nth?: number; downMs: number }
  /** Bind `pick` to a node drawn from the seed, one not in `notIn`. */
  | { pick: string; notIn?: ScriptNode[] };

export interface ScriptStep {
  /** Not before this virtual time… */
  atMs?: number;
  /** …nor before this long after the previous step fired… */
  afterMs?: number;
  /**
   * …and then, if given, at the first message a node sends (to a node, a client, or either) whose body has
   * every field in `body` as it says. `bind` names what it matched: "src" (the sender), "dest" (where it
   * went) or a body field.
   * The actions run when that node's step ends, so the message itself and the rest of the step go out first.
   */
  when?: {
    from?: ScriptNode[];
    notFrom?: ScriptNode[];
    to?: "node" | "client";
    /** Only a node's answer to a request for its vote (as the "after-vote" crash point tells one). */
    vote?: boolean;
    body: Record<string, ScriptCondition>;
    bind?: Record<string, string>;
  };
  /**
   * A step that waits for a message gives up this long after its time gate opened (noticed at the next
   * message any node sends): the script heals its cuts and ends, so a run that went another way is not
   * left partitioned.
   */
  withinMs?: number;
  /** What to do then: none, for a step that only binds names for later steps. */
  do: ScriptAction[];
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
  /**
   * Node harness: the cluster's nodes (1…100), each running the learner's code in a realm of its own.
   * Required there; no other harness has nodes.
   */
  nodes?: number;
  /**
   * Component harness: instances of the learner's component (1…100, default 1), each in a realm of its own
   * that shares no memory with the others (a rate limiter's gateways, say). No other harness has them.
   */
  realms?: number;
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
  | { atMs: number; kind: "pause"; node: string; untilMs: number }
  /** Until `untilMs`, each message between nodes is delayed by an extra exponential of mean `extraMeanMs`. */
  | { atMs: number; kind: "slow"; untilMs: number; extraMeanMs: number }
  /** From `atMs` on, `node` crashes at its `nth` effect of kind `point` and restarts `downMs` later. */
  | { atMs: number; kind: "crash-point"; node: string; point: CrashPoint; nth: number; downMs: number };

export interface Knobs {
  seed: number;
  nodeIds: string[];
  latency: LatencySpec;
  lossRate: number;
  duplicateRate: number;
  clocks: Record<string, { skewMs: number; driftPpm: number }>;
  faults: FaultEvent[];
}

/**
 * How many learner realms a run boots (their ids are `knobs.nodeIds`): a node scenario's nodes, a component
 * scenario's instances, else one (a design or an estimate runs one realm).
 */
export function realmCount(spec: Pick<ScenarioSpec, "nodes" | "realms">): number {
  return spec.nodes ?? spec.realms ?? 1;
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
    case "slow":
      return `${f.atMs} ms network slow until ${f.untilMs} ms (each message +${f.extraMeanMs} ms on average)`;
    case "crash-point":
      return `${f.atMs} ms arm crash ${f.node} ${describeCrashPoint(f.point, f.nth)}, back ${f.downMs} ms later`;
  }
}

/** A request sent to every node after this long without one from that sender asks for a vote ("after-vote"). */
export const voteQuietMs = 100;

/** "right after its 2nd storage write": where an armed crash strikes, counted from when it was armed. */
export function describeCrashPoint(point: CrashPoint, nth: number): string {
  const th = nth % 10 === 1 && nth % 100 !== 11 ? "st" : nth % 10 === 2 && nth % 100 !== 12 ? "nd" : nth % 10 === 3 && nth % 100 !== 13 ? "rd" : "th";
  const ordinal = `${nth}${th}`;
  switch (point) {
    case "after-storage-write":
      return `right after its ${ordinal} storage write`;
    case "after-send":
      return `right after its ${ordinal} reply to another node`;
    case "after-vote":
      return `right after its ${ordinal} vote (its answer to a request sent to every node after a ${voteQuietMs} ms lull)`;
    case "before-reply":
      return `just before its ${ordinal} reply to a client`;
  }
}
