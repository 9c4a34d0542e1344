/**
 * The discrete-event simulator. It runs inside the sandbox, in a realm of its own, and calls each node's
 * entry function as a plain function (no receiver) with strings and numbers only; what comes back is
 * decoded by the effect protocol (protocol/effects.ts), which trusts nothing. It owns virtual time, the
 * network, the faults and the clients; what it hands back is plain data (history, trace, stats).
 *
 * Host protocol (protocol/host.ts): `run()` processes events until it must hand control back, and says
 * why: "yield", "restart nK", "done" or "interrupted".
 */
import { EventQueue } from "./event-queue.ts";
import { timerFiresAt, trueClock } from "./clock.ts";
import { createRng, type Rng } from "./prng.ts";
import { latencySampler } from "./knobs.ts";
import { emptyRunStats } from "./run-stats.ts";
import { clientTimeoutMs, runErrorsMax, settleMsOf } from "./defaults.ts";
import { voteQuietMs, type CrashPoint, type FaultEvent, type Knobs, type ScenarioSpec } from "./scenario.ts";
import type { ClientEvent, TraceEntry } from "./history.ts";
import type { Body } from "../harness/node/api.ts";
import type { EngineResult, RunData } from "../contract.ts";
import type { NodeRunData, Observation, RunStats } from "../harness/node/run.ts";
import type { ClientApi, ServiceHandler, WorkloadClients, WorkloadDriver } from "./clients.ts";
import { decodeEffects, type EffectSink } from "../protocol/effects.ts";
import { EntryKind, Signal, restartSignal } from "../protocol/host.ts";
import { CausalRecorder, type StepKind } from "./causality.ts";
import { FaultScript } from "./fault-script.ts";

/** A node's entry: for a message, `arg` is its body's JSON and `src` its sender (the envelope is built in the node's realm). */
export type NodeEntry = (kind: string, trueMs: number, arg: string, src: string) => string;

/** What a run hands the host: everything checkers see except the harness, scenario and knobs, which the host has. */
export type SimResult = EngineResult<NodeRunData>;

export interface SimLimits {
  eventsMax: number;
  /** Events waiting in the queue at once (timers armed and messages in flight). */
  queuedEventsMax: number;
  messageBytesMax: number;
  traceEntriesMax: number;
  logLinesMax: number;
  /** Errors kept per run: the first ones explain a failure; thousands more only repeat them. */
  errorsMax: number;
  /** Observations kept per run (ClientApi.observe); later ones are dropped. */
  observationsMax: number;
  /** Consecutive yields for promise continuations without virtual time moving on. */
  flushRoundsMax: number;
  /** Largest string one node call may return. */
  outputBytesMax: number;
}

export const defaultSimLimits: SimLimits = {
  eventsMax: 3_000_000,
  queuedEventsMax: 1_000_000,
  messageBytesMax: 64 * 1024,
  traceEntriesMax: 20_000,
  logLinesMax: 500,
  errorsMax: runErrorsMax,
  observationsMax: 200_000,
  flushRoundsMax: 10_000,
  outputBytesMax: 4 * 1024 * 1024,
};

/**
 * A restarted node's random stream is seeded apart from its earlier lives: seed + generation × a prime
 * far above any seed range a grade uses, so no two (seed, generation) pairs of a grade share a stream.
 */
const generationSeedStride = 7919;

const Kind = { Boot: 0, Deliver: 1, Timer: 2, Fault: 3, Client: 4, Phase: 5 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/**
 * Every event has the same fields (unused ones stay empty), so the queue's comparisons and the dispatch in
 * handle() see one object shape. With a union of six shapes V8's property lookups there went megamorphic;
 * this and scanning effects in place made the simulator alone 1.8–2.0× faster (README, Performance).
 */
class SimEvent {
  timeMs: number;
  seq = 0;
  readonly kind: Kind;
  /** The node of a boot, timer or delivery (undefined for a delivery to a client). */
  readonly node: SimNode | undefined;
  /** Timer id (timer) or trace index (deliver, -1 when untraced). */
  readonly num: number;
  /** The node's generation when the event was made (boot, timer, delivery): a restart makes older ones stale. */
  readonly gen: number;
  /** Sender and destination ids and the body's JSON (deliver). */
  readonly src: string;
  readonly dest: string;
  readonly body: string;
  readonly fn: (() => void) | undefined;
  readonly fault: FaultEvent | undefined;
  readonly phase: Phase | undefined;
  /** The message's index in the causal log (deliver), -1 when the run keeps none. */
  readonly msg: number;

  constructor(timeMs: number, kind: Kind, node: SimNode | undefined, num: number, gen: number, src: string, dest: string, body: string, fn?: () => void, fault?: FaultEvent, phase?: Phase, msg = -1) {
    this.timeMs = timeMs;
    this.kind = kind;
    this.node = node;
    this.num = num;
    this.gen = gen;
    this.src = src;
    this.dest = dest;
    this.body = body;
    this.fn = fn;
    this.fault = fault;
    this.phase = phase;
    this.msg = msg;
  }

  /** The same event at a later time (a paused node's work waits until it resumes). */
  at(timeMs: number): SimEvent {
    return new SimEvent(timeMs, this.kind, this.node, this.num, this.gen, this.src, this.dest, this.body, this.fn, this.fault, this.phase, this.msg);
  }
}

type Phase = "heal" | "final" | "end";

const phaseEvent = (timeMs: number, phase: Phase) => new SimEvent(timeMs, Kind.Phase, undefined, 0, 0, "", "", "", undefined, undefined, phase);
const clientEvent = (timeMs: number, fn: () => void) => new SimEvent(timeMs, Kind.Client, undefined, 0, 0, "", "", "", fn);

/**
 * A request one node sent another, as the receiver's askedBy keeps it. A reply goes to the life of the
 * sender that asked. Request ids are the node runtime's and start over in each life, so a new life may reuse
 * the id of a request its previous life is still waiting on: then no one can tell which one a reply answers,
 * and replies to that id are dropped (a lost message is always allowed; a reply taken for the answer to
 * another request is not).
 */
interface Request {
  gen: number;
  type: string;
  /** It went to every other node in one step, after a quiet spell: a candidate asking for votes. */
  vote: boolean;
  answered: boolean;
  /** Two lives' requests share this id and the older one was not answered yet. */
  ambiguous: boolean;
}

interface SimNode {
  id: string;
  entry: NodeEntry | undefined;
  up: boolean;
  gen: number;
  pausedUntilMs: number;
  asyncPending: boolean;
  storage: Map<string, string>;
  /** Messages this node sent (kept here rather than in a map keyed by id: it is counted on every send). */
  sent: number;
  /** A targeted crash waiting for its point (scenario.ts, CrashPoint): effects of that kind still to go, and the downtime. */
  armed: { point: CrashPoint; remaining: number; downMs: number } | undefined;
  /** Requests other nodes sent it ("<sender>\t<msg_id>"), in runs with crashes: see Request. */
  askedBy: Map<string, Request> | undefined;
  /** When each node last sent it a request that went to every node at once (see "after-vote"). */
  broadcastAtMs: Map<string, number> | undefined;
}

export class Simulator {
  readonly knobs: Knobs;
  readonly scenario: ScenarioSpec;
  private readonly limits: SimLimits;
  private readonly queue: EventQueue<SimEvent>;
  private readonly nodes = new Map<string, SimNode>();
  private readonly clientIds: string[];
  private readonly clientIdSet: Set<string>;
  private readonly clientWaiters = new Map<string, (reply: Body | null) => void>();
  private readonly clientMsgIds = new Map<string, number>();
  /** The workload's services by address (ClientApi.serve): empty unless a workload runs one. */
  private readonly services = new Map<string, ServiceHandler>();
  private readonly netRng: Rng;
  private readonly sampleLatency: () => number;
  /** A latency spike in force until this time (fault "slow"), its mean extra delay, and its own random stream. */
  private slowUntilMs = 0;
  private slowExtraMeanMs = 0;
  private readonly spikeRng: Rng;
  private readonly blocked = new Set<string>();
  /**
   * Whether node-to-node messages are looked into (their msg_id and in_reply_to), in runs with crashes only:
   * to deliver a reply only to the life of the node that asked, and for the "after-send" and "after-vote"
   * crash points. Other runs' sends cost nothing more.
   */
  private readonly watchPeers: boolean;
  private readonly driver: WorkloadDriver;
  private nowMs = 0;
  private safety = true;
  private done = false;
  private flushRounds = 0;
  /**
   * Asked every 8,192 events whether to stop (run() then says "interrupted" and the run is over): how a
   * host that cannot interrupt a call, like the one-realm sandbox, keeps its wall-time budget.
   */
  interrupt: (() => boolean) | undefined;
  /** The node whose code runs right now: named in a verdict if the host has to stop the run. */
  current = "";
  private readonly history: ClientEvent[] = [];
  private readonly trace: TraceEntry[] = [];
  private readonly errors: RunData["errors"] = [];
  private readonly logs: RunData["logs"] = [];
  private readonly observations: Observation[] = [];
  private readonly stats: RunStats;
  /** The true happens-before relation (causality.ts), for workloads that ask for it. */
  private readonly causal: CausalRecorder | undefined;
  fatal: string | undefined;
  /** The scenario's scripted faults (fault-script.ts), when it has any. */
  private readonly script: FaultScript | undefined;

  constructor(scenario: ScenarioSpec, knobs: Knobs, workload: WorkloadClients, limits: SimLimits = defaultSimLimits) {
    this.scenario = scenario;
    this.knobs = knobs;
    this.limits = limits;
    this.queue = new EventQueue<SimEvent>(limits.queuedEventsMax);
    this.netRng = createRng(knobs.seed, "net");
    this.sampleLatency = latencySampler(knobs.latency, this.netRng);
    this.spikeRng = createRng(knobs.seed, "latency-spikes");
    const clientCount = scenario.workload.clients ?? Math.min(5, Math.max(1, knobs.nodeIds.length));
    this.clientIds = Array.from({ length: clientCount }, (_, i) => `c${i + 1}`);
    this.clientIdSet = new Set(this.clientIds);
    this.stats = emptyRunStats();
    const script = scenario.faults?.script;
    this.script = script?.length ? new FaultScript(script, knobs.nodeIds, createRng(knobs.seed, "fault-script")) : undefined;
    this.watchPeers = knobs.faults.some((f) => f.kind === "crash" || f.kind === "crash-point") || this.script?.watchesPeers === true;
    this.causal = workload.recordsCausality ? new CausalRecorder(knobs.nodeIds) : undefined;
    for (const id of knobs.nodeIds) {
      const node: SimNode = { id, entry: undefined, up: true, gen: 0, pausedUntilMs: 0, asyncPending: false, storage: new Map(), sent: 0, armed: undefined, askedBy: undefined, broadcastAtMs: undefined };
      this.nodes.set(id, node);
      this.schedule(new SimEvent(0, Kind.Boot, node, 0, 0, "", "", ""));
    }
    for (const fault of knobs.faults) this.schedule(new SimEvent(fault.atMs, Kind.Fault, undefined, 0, 0, "", "", "", undefined, fault));
    this.armScript();
    const settleMs = settleMsOf(scenario);
    this.schedule(phaseEvent(scenario.durationMs, "heal"));
    this.schedule(phaseEvent(scenario.durationMs + settleMs, "final"));
    // Final reads go one client at a time per node: give each client time for its share of the nodes.
    const finalTimeoutMs = clientTimeoutMs(scenario.workload) * Math.ceil(knobs.nodeIds.length / clientCount);
    this.schedule(phaseEvent(scenario.durationMs + settleMs + finalTimeoutMs + 1, "end"));
    this.driver = workload.driver(this.clientApi(), scenario.workload);
  }

  /** Queues an event; a full queue ends the run with a verdict (a node arming timers or flooding). */
  private schedule(event: SimEvent): void {
    if (!this.queue.push(event) && !this.fatal) {
      this.fatal = `event queue budget exceeded: more than ${this.limits.queuedEventsMax} timers and messages pending at once (node ${this.current || event.node?.id || "?"} arming timers or flooding?)`;
    }
  }

  /** Gives a node's realm to the simulator; its `init` runs at the boot event. */
  attach(nodeId: string, entry: NodeEntry): void {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`attach: unknown node ${nodeId}`);
    node.entry = entry;
  }

  run(): string {
    if (this.done) return Signal.Done;
    // Collect what promise continuations did since the host call returned, at the virtual time they ran.
    let pending = false;
    for (const node of this.nodes.values()) {
      if (node.asyncPending && node.up && node.entry) {
        node.asyncPending = false;
        this.call(node, EntryKind.Flush, "");
        pending ||= node.asyncPending;
      }
    }
    if (this.fatal) return this.finish();
    if (pending) {
      if (++this.flushRounds > this.limits.flushRoundsMax) {
        this.fatal = `promise continuations kept scheduling more continuations ${this.limits.flushRoundsMax} times without virtual time moving (node ${this.current})`;
        return this.finish();
      }
      return Signal.Yield;
    }
    this.flushRounds = 0;
    if (this.awaitingBoot) {
      const event = this.awaitingBoot;
      this.awaitingBoot = undefined;
      const signal = this.handle(event);
      if (this.fatal) return this.finish();
      if (signal) return signal;
    }
    if (!this.driverStarted) {
      this.driverStarted = true;
      this.driver.start();
    }
    for (;;) {
      const event = this.queue.pop();
      if (!event) return this.finish();
      if (++this.stats.events > this.limits.eventsMax) {
        this.fatal = `event budget exceeded: more than ${this.limits.eventsMax} events in one run (timers firing too often or a message flood?)`;
        return this.finish();
      }
      if ((this.stats.events & 8191) === 0 && this.interrupt?.()) return Signal.Interrupted;
      this.nowMs = event.timeMs;
      const signal = this.handle(event);
      if (this.fatal) return this.finish();
      if (signal) return signal;
    }
  }

  private driverStarted = false;
  private awaitingBoot: SimEvent | undefined;

  private handle(event: SimEvent): string | undefined {
    switch (event.kind) {
      case Kind.Boot: {
        const node = event.node!;
        if (event.gen !== node.gen || !node.up) return;
        if (!node.entry) {
          // A fresh realm is the host's to make: hand back, and boot on the next run().
          this.awaitingBoot = event;
          return restartSignal(node.id);
        }
        const clock = this.knobs.clocks[node.id] ?? trueClock;
        const config = {
          id: node.id,
          nodeIds: this.knobs.nodeIds,
          seed: this.knobs.seed + node.gen * generationSeedStride,
          skewMs: clock.skewMs,
          driftPpm: clock.driftPpm,
          storage: Object.fromEntries(node.storage),
        };
        this.call(node, EntryKind.Init, JSON.stringify(config));
        return node.asyncPending ? Signal.Yield : undefined;
      }
      case Kind.Deliver:
        return this.deliver(event);
      case Kind.Timer: {
        const node = event.node!;
        if (event.gen !== node.gen || !node.up) return;
        if (node.pausedUntilMs > this.nowMs) {
          this.schedule(event.at(node.pausedUntilMs));
          return;
        }
        this.call(node, EntryKind.Timer, String(event.num));
        return node.asyncPending ? Signal.Yield : undefined;
      }
      case Kind.Client:
        event.fn!();
        return;
      case Kind.Fault:
        // A targeted crash's restart names the generation it ended: a later crash of the node has its own.
        if (event.node && event.gen !== event.node.gen) return;
        return this.applyFault(event.fault!);
      case Kind.Phase:
        if (event.phase === "heal") {
          this.safety = false;
          this.blocked.clear();
          for (const node of this.nodes.values()) {
            node.pausedUntilMs = 0;
            // Faults end here, targeted crashes too: one that struck later would find no restart to follow it.
            node.armed = undefined;
            if (!node.up) this.restart(node);
          }
        } else if (event.phase === "final") {
          this.driver.final();
        } else {
          return this.finish();
        }
        return;
    }
  }

  /** Brings a crashed node back: a new generation, booted in a fresh realm that the host provides. */
  private restart(node: SimNode): void {
    node.up = true;
    node.gen++;
    node.entry = undefined;
    node.asyncPending = false;
    this.schedule(new SimEvent(this.nowMs, Kind.Boot, node, 0, node.gen, "", "", ""));
  }

  private applyFault(fault: FaultEvent): string | undefined {
    if (!this.safety) return;
    switch (fault.kind) {
      case "partition":
        this.blocked.clear();
        for (const [a, b] of fault.blocked) this.blocked.add(`${a}>${b}`);
        return;
      case "heal":
        this.blocked.clear();
        return;
      case "crash":
        this.crash(this.nodes.get(fault.node)!);
        return;
      case "crash-point":
        this.nodes.get(fault.node)!.armed = { point: fault.point, remaining: fault.nth, downMs: fault.downMs };
        return;
      case "restart": {
        const node = this.nodes.get(fault.node)!;
        if (!node.up) this.restart(node);
        return;
      }
      case "pause": {
        const node = this.nodes.get(fault.node)!;
        node.pausedUntilMs = Math.max(node.pausedUntilMs, fault.untilMs);
        return;
      }
      case "slow":
        this.slowUntilMs = fault.untilMs;
        this.slowExtraMeanMs = fault.extraMeanMs;
        return;
    }
  }

  /** Waits for the script's next step: its time gate, then (if it has one) a matching message. */
  private armScript(): void {
    const gate = this.script?.gateMs(this.nowMs);
    if (gate === undefined) return;
    this.schedule(clientEvent(gate, () => {
      if (this.script!.openGate(this.nowMs)) this.runScript();
    }));
  }

  /** Applies the script's step that fired, as faults at this instant, and arms the next one. */
  private runScript(): void {
    if (!this.safety) return;
    for (const fault of this.script!.take(this.nowMs)) this.applyFault(fault);
    this.armScript();
  }

  /** Memory lost (the realm is dropped), `node.storage` kept; events made for this generation go stale. */
  private crash(node: SimNode): void {
    node.up = false;
    node.gen++;
    node.entry = undefined;
    node.asyncPending = false;
  }

  /**
   * Counts one effect toward the node's armed crash (the caller has checked its point). True when this is
   * the one: decoding stops at once (sink.stopped), and call() crashes the node when it returns.
   */
  private strikes(node: SimNode): boolean {
    const armed = node.armed!;
    if (--armed.remaining > 0) return false;
    node.armed = undefined;
    this.crashing = armed.downMs;
    return true;
  }

  /** Requests to nodes the current call sent (runs with crashes): markVoteRequests() looks at them. */
  private readonly stepRequests: Array<{ dest: SimNode; request: Request }> = [];

  /**
   * A request type the node sent every other node in one step is a broadcast; when its sender had sent the
   * receiver no broadcast for voteQuietMs, it asks for a vote (a candidate's prepare or RequestVote). A
   * leader's steady appends are broadcasts too, but never after a quiet spell; forwarded client requests go
   * to one node only.
   */
  private markVoteRequests(node: SimNode): void {
    const byType = new Map<string, Set<SimNode>>();
    for (const { dest, request } of this.stepRequests) {
      let dests = byType.get(request.type);
      if (!dests) byType.set(request.type, (dests = new Set()));
      dests.add(dest);
    }
    const others = this.nodes.size - 1;
    for (const { dest, request } of this.stepRequests) {
      if (byType.get(request.type)!.size < others) continue;
      const times = (dest.broadcastAtMs ??= new Map());
      const last = times.get(node.id);
      request.vote = last === undefined || this.nowMs - last >= voteQuietMs;
      times.set(node.id, this.nowMs);
    }
    this.stepRequests.length = 0;
  }

  /** Downtime of the targeted crash that struck during the current call, if one did. */
  private crashing: number | undefined;

  private deliver(event: SimEvent): string | undefined {
    const node = event.node;
    const entry = event.num >= 0 ? this.trace[event.num] : undefined;
    if (!node && this.services.size > 0) {
      const service = this.services.get(event.dest);
      if (service) return this.deliverToService(event, service);
    }
    if (!node) {
      // To a client. Clients live in this realm: only their replies are ever parsed here.
      const arrived = this.arriveInHost(event);
      if (!arrived) {
        // Only a subverted runtime sends text that is not JSON: the client sees no reply.
        this.recordError(event.src, `sent ${event.dest} a body that is not JSON`);
        return;
      }
      const body = arrived.body as Body;
      if (body === null || typeof body !== "object") return;
      const key = `${event.dest}:${body.in_reply_to}`;
      const waiter = this.clientWaiters.get(key);
      if (waiter) {
        this.clientWaiters.delete(key);
        waiter(body);
      }
      return;
    }
    // A restarted node is a new process: what was sent to its previous life, and replies to what that life
    // asked, died with its connections. (Its request ids start over, so a late reply to an old request would
    // otherwise be taken for the answer to a new one, which no correct node can guard against.)
    if (!node.up || !node.entry || event.gen !== node.gen) {
      if (entry) entry.fate = "crashed";
      this.stats.messagesDropped++;
      return;
    }
    if (node.pausedUntilMs > this.nowMs) {
      this.schedule(event.at(node.pausedUntilMs));
      return;
    }
    if (entry) {
      entry.fate = "delivered";
      entry.recvMs = this.nowMs;
    }
    this.stats.messagesDelivered++;
    this.call(node, EntryKind.Message, event.body, event.src, event.msg);
    return node.asyncPending ? Signal.Yield : undefined;
  }

  /** Calls into a node's realm and applies what it did. Everything that comes back is checked. */
  private call(node: SimNode, kind: string, arg: string, src = "", msg = -1): void {
    this.current = node.id;
    this.causal?.step(node.id, stepKinds[kind] ?? "flush", this.nowMs, msg);
    // A plain call: `node.entry(…)` would hand the SimNode to the realm as `this`, and its constructor
    // chain would reach this realm's Function.
    const entry = node.entry!;
    const raw = entry(kind, this.nowMs, arg, src);
    this.current = "";
    if (typeof raw !== "string" || raw.length > this.limits.outputBytesMax) {
      this.fatal = typeof raw !== "string"
        ? `node ${node.id}'s runtime answered off-protocol (a ${typeof raw}, not effect lines)`
        : `output budget exceeded: node ${node.id} produced more than ${this.limits.outputBytesMax} bytes in one step`;
      return;
    }
    this.effectsOf = node;
    node.asyncPending = decodeEffects(raw, this.sink);
    if (this.causal) this.causal.current = -1;
    if (this.stepRequests.length) this.markVoteRequests(node);
    if (this.script?.fired) this.runScript();
    if (this.crashing !== undefined) {
      const downMs = this.crashing;
      this.crashing = undefined;
      this.crash(node);
      // Within the safety phase only, like every fault: the heal restarts whatever is still down.
      if (this.safety) {
        const restart: FaultEvent = { atMs: this.nowMs + downMs, kind: "restart", node: node.id };
        this.schedule(new SimEvent(restart.atMs, Kind.Fault, node, 0, node.gen, "", "", "", undefined, restart));
      }
    }
  }

  /** The node whose effects the sink is applying (set by call() just before decoding). */
  private effectsOf: SimNode | undefined;

  private readonly sink: EffectSink = {
    send: (dest, type, bodyJson) => {
      const node = this.effectsOf!;
      if (this.script?.watching) this.script.see(node.id, dest, this.nodes.has(dest), bodyJson, () => answersVote(node, dest, bodyJson), this.nowMs);
      const point = node.armed?.point;
      // Dies with the answer unsent: the client never hears back.
      if (point === "before-reply" && this.clientIdSet.has(dest) && this.strikes(node)) return;
      const destNode = this.watchPeers ? this.nodes.get(dest) : undefined;
      if (!destNode) return this.send(node, node.id, dest, type, bodyJson);
      const ids = messageIds(bodyJson);
      if (ids.msgId !== undefined) {
        const asked = (destNode.askedBy ??= new Map());
        const id = `${node.id}\t${ids.msgId}`;
        const earlier = asked.get(id);
        const ambiguous = earlier !== undefined && earlier.gen !== node.gen && !earlier.answered;
        const request: Request = { gen: node.gen, type, vote: false, answered: false, ambiguous };
        asked.set(id, request);
        this.stepRequests.push({ dest: destNode, request });
      }
      if (ids.inReplyTo === undefined) return this.send(node, node.id, dest, type, bodyJson);
      // A reply goes to the life of the node that sent the request, or nowhere (-1 matches no life).
      const asked = node.askedBy?.get(`${dest}\t${ids.inReplyTo}`);
      if (asked) asked.answered = true;
      this.send(node, node.id, dest, type, bodyJson, asked === undefined ? destNode.gen : asked.ambiguous ? -1 : asked.gen);
      if (point === "after-send" || (point === "after-vote" && asked?.vote)) this.strikes(node);
    },
    timer: (timerId, delayMs) => {
      const node = this.effectsOf!;
      // The delay is on the node's clock: a drifting clock fires its timers early or late in true time.
      const at = timerFiresAt(this.knobs.clocks[node.id] ?? trueClock, this.nowMs, delayMs);
      this.schedule(new SimEvent(at, Kind.Timer, node, timerId, node.gen, "", "", ""));
    },
    storage: (key, valueJson) => {
      const node = this.effectsOf!;
      if (valueJson === null) node.storage.delete(key);
      else node.storage.set(key, valueJson);
      if (node.armed?.point === "after-storage-write") this.strikes(node);
    },
    log: (text) => {
      if (this.logs.length < this.limits.logLinesMax) this.logs.push({ node: this.effectsOf!.id, timeMs: this.nowMs, text });
    },
    error: (text) => this.recordError(this.effectsOf!.id, text),
    malformed: (reason) => {
      this.fatal = `node ${this.effectsOf!.id}'s runtime answered off-protocol (${reason})`;
    },
    stopped: () => this.fatal !== undefined || this.crashing !== undefined,
  };

  private recordError(node: string, text: string): void {
    if (this.errors.length < this.limits.errorsMax) this.errors.push({ node, timeMs: this.nowMs, text });
  }

  /** A message from a node (`from`) or a client (`from` undefined) onto the network. */
  /** `destGen`: the destination's life this message is for (default: its current one). */
  /** `clientMsgId`: a client request's msg_id, for the causal log. */
  private send(from: SimNode | undefined, src: string, dest: string, type: string, bodyJson: string, destGen?: number, clientMsgId?: number): void {
    const fromNode = from !== undefined;
    const destNode = this.nodes.get(dest);
    const toService = destNode === undefined && this.services.size > 0 && this.services.has(dest);
    if (!destNode && !this.clientIdSet.has(dest) && !toService) {
      this.recordError(src, `sent a "${type}" message to "${dest}", which is not a node or client of this cluster (nodes: ${this.knobs.nodeIds.join(", ")})`);
      return;
    }
    if (bodyJson.length > this.limits.messageBytesMax) {
      this.fatal = `message size budget exceeded: node ${src} sent a "${type}" message of ${bodyJson.length} bytes to ${dest} (limit ${this.limits.messageBytesMax})`;
      return;
    }
    this.stats.messagesSent++;
    this.stats.bytesSent += bodyJson.length;
    if (fromNode) {
      from.sent++;
      if (destNode) this.stats.serverMessages++;
    }
    let traceIndex = -1;
    if (this.trace.length < this.limits.traceEntriesMax) {
      traceIndex = this.trace.length;
      this.trace.push({ src, dest, type, sendMs: this.nowMs, fate: "in-flight", bytes: bodyJson.length });
    } else {
      this.stats.traceTruncated = true;
    }
    const msg = this.causal ? this.causal.message(src, dest, clientMsgId) : -1;
    // A workload's service sits on the nodes' network: what goes between it and a node is lost, duplicated
    // and delayed as between nodes.
    const betweenNodes = (fromNode && (destNode !== undefined || toService)) || (!fromNode && destNode !== undefined && this.services.size > 0 && this.services.has(src));
    if (betweenNodes && this.blocked.size > 0 && this.blocked.has(`${src}>${dest}`)) {
      this.drop(traceIndex, "partition");
      return;
    }
    if (this.knobs.lossRate > 0 && betweenNodes && this.netRng.chance(this.knobs.lossRate)) {
      this.drop(traceIndex, "lost");
      return;
    }
    const copies = betweenNodes && this.knobs.duplicateRate > 0 && this.netRng.chance(this.knobs.duplicateRate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      // During a latency spike, an extra delay from a stream of its own (no other draw moves).
      const extra = betweenNodes && this.nowMs < this.slowUntilMs ? this.spikeRng.exponential(this.slowExtraMeanMs) : 0;
      const delay = Math.max(0, this.sampleLatency()) + extra;
      this.schedule(new SimEvent(this.nowMs + delay, Kind.Deliver, destNode, c === 0 ? traceIndex : -1, destGen ?? destNode?.gen ?? (toService ? (from?.gen ?? 0) : 0), src, dest, bodyJson, undefined, undefined, undefined, msg));
    }
  }

  /** A node's request reaches a workload's service; its answer goes back to the life of the node that asked. */
  private deliverToService(event: SimEvent, service: ServiceHandler): undefined {
    const arrived = this.arriveInHost(event);
    if (!arrived) return;
    const body = arrived.body as Body;
    if (body === null || typeof body !== "object" || typeof body.type !== "string") return;
    service(event.src, body, (reply) => {
      const answer = { ...reply, in_reply_to: body.msg_id };
      this.send(undefined, event.dest, event.src, String(answer.type), JSON.stringify(answer), event.gen);
    });
  }

  /**
   * A message that ends in this realm (at a client or a workload's service): marked delivered and counted,
   * then parsed; undefined when its body is not JSON.
   */
  private arriveInHost(event: SimEvent): { body: unknown } | undefined {
    const entry = event.num >= 0 ? this.trace[event.num] : undefined;
    if (entry) {
      entry.fate = "delivered";
      entry.recvMs = this.nowMs;
    }
    this.stats.messagesDelivered++;
    try {
      return { body: JSON.parse(event.body) };
    } catch {
      return undefined;
    }
  }

    private drop(traceIndex: number, fate: TraceEntry["fate"]): void {
    this.stats.messagesDropped++;
    if (traceIndex >= 0) this.trace[traceIndex]!.fate = fate;
  }

  private clientApi(): ClientApi {
    const sim = this;
    return {
      nodeIds: this.knobs.nodeIds,
      clientIds: this.clientIds,
      rng: createRng(this.knobs.seed, "clients"),
      now: () => sim.nowMs,
      inSafetyPhase: () => sim.safety,
      at: (delayMs, fn) => void sim.schedule(clientEvent(sim.nowMs + Math.max(0, delayMs), fn)),
      call: (client, node, body, timeoutMs, done) => {
        const msgId = (sim.clientMsgIds.get(client) ?? 0) + 1;
        sim.clientMsgIds.set(client, msgId);
        const key = `${client}:${msgId}`;
        sim.clientWaiters.set(key, done);
        sim.send(undefined, client, node, body.type, JSON.stringify({ ...body, msg_id: msgId }), undefined, msgId);
        sim.schedule(
          clientEvent(sim.nowMs + timeoutMs, () => {
            const waiter = sim.clientWaiters.get(key);
            if (waiter) {
              sim.clientWaiters.delete(key);
              waiter(null);
            }
          }),
        );
      },
      record: (op) => void sim.history.push(op),
      serve: (id, handler) => {
        if (sim.nodes.has(id) || sim.clientIdSet.has(id)) throw new Error(`serve: "${id}" is already a node or client id`);
        sim.services.set(id, handler);
      },
      observe: (node, timeMs, value) => {
        if (sim.observations.length < sim.limits.observationsMax) sim.observations.push({ node, timeMs, value });
      },
    };
  }

  private finish(): string {
    this.done = true;
    this.stats.simulatedMs = this.nowMs;
    return Signal.Done;
  }

  /** The run's plain data (only JSON-shaped values): the one-realm sandbox takes it as it is. */
  resultData(): SimResult {
    for (const node of this.nodes.values()) this.stats.sentByNode[node.id] = node.sent;
    const data: SimResult = {
      history: this.history,
      trace: this.trace,
      stats: this.stats,
      errors: this.errors,
      logs: this.logs,
    };
    // Only runs whose workload observes carry the field, so every other run's data is as it was.
    if (this.observations.length) data.observations = this.observations;
    if (this.fatal) data.fatal = this.fatal;
    if (this.causal) data.causality = this.causal.result();
    if (this.script) data.scriptedFaults = this.script.applied;
    return data;
  }

  /** The run's plain data as JSON. */
  result(): string {
    return JSON.stringify(this.resultData());
  }
}

/** What the causal log calls each kind of call into a node. */
const stepKinds: Record<string, StepKind> = { [EntryKind.Init]: "init", [EntryKind.Message]: "message", [EntryKind.Timer]: "timer", [EntryKind.Flush]: "flush" };

/** Whether a node's message answers a request for its vote (scripted faults' `vote` trigger; runs that watch peers). */
function answersVote(node: SimNode, dest: string, bodyJson: string): boolean {
  const inReplyTo = messageIds(bodyJson).inReplyTo;
  return inReplyTo !== undefined && node.askedBy?.get(`${dest}\t${inReplyTo}`)?.vote === true;
}

/**
 * The msg_id and in_reply_to of a node's message, when they are numbers. Parsed only in runs with crashes
 * (Simulator.watchPeers), so other runs never pay for it.
 */
function messageIds(bodyJson: string): { msgId?: number; inReplyTo?: number } {
  try {
    const body: unknown = JSON.parse(bodyJson);
    if (typeof body !== "object" || body === null) return {};
    const { msg_id: msgId, in_reply_to: inReplyTo } = body as { msg_id?: unknown; in_reply_to?: unknown };
    return { msgId: typeof msgId === "number" ? msgId : undefined, inReplyTo: typeof inReplyTo === "number" ? inReplyTo : undefined };
  } catch {
    return {};
  }
}
