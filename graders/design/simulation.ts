/**
 * One design run, request by request: open-loop arrivals with the prompt's daily shape and bursts, each
 * request through the CDN (if any), the balancer, a pool instance (its slot held while its handler runs,
 * awaits included), and every `ctx.call` its handler makes, with the design's timeouts, retries and retry
 * budgets; users who time out or get an error try again, so retries are real load at every layer and an
 * overload can outlast its cause (a metastable failure). Faults strike whole failure domains.
 *
 * The learner's handlers run in their realm; this class talks to it through `entry` with strings and
 * numbers only (protocol.ts) and drains the realm's continuations after each event that called into it
 * (engine.ts explains the two ways).
 */
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { RunData } from "../contract.ts";
import type { DesignOutcome } from "../harness/design/run.ts";
import { createRng, type Rng } from "../sim/prng.ts";
import { runErrorsMax } from "../sim/defaults.ts";
import { createArrivals } from "../sim/requests/arrivals.ts";
import { RecordHash } from "../sim/requests/recorder.ts";
import { CacheModel, type WarmStart } from "./cache-model.ts";
import { designCost } from "./cost.ts";
import { Deadlines, EventQueue } from "./events.ts";
import { RunFigures } from "./figures.ts";
import { CallGraph, usersNode } from "./graph.ts";
import { LinkUniverse } from "./links.ts";
import { getPrompt } from "./prompts/index.ts";
import type { Drawn, Prompt, Workload } from "./prompt.ts";
import { decodeDesignEffects, DesignEntry, type DesignEffectSink } from "./protocol.ts";
import type { DesignOptions } from "./scenario.ts";
import type { DesignData } from "./spec.ts";
import { regionRoundTripMs, Topology } from "./topology.ts";
import { defaultCall, validateDesign, type CacheConfig, type CallConfig, type CdnConfig, type DesignConfig, type LbConfig } from "./validate.ts";
import { asyncDelay, buildWorld, laggingDelay, noReply, CacheComponent, KvComponent, lognormal, PoolComponent, ProviderComponent, QueueComponent, SqlComponent, type CallResult, type Component, type PoolGroup, type Reply, type WorldHost } from "./world.ts";
import type { Station } from "./station.ts";

export type RealmEntry = (kind: string, nowMs: number, a: number, b: number, s: string) => unknown;

export interface EngineHooks {
  running(who: string): void;
  interrupted(): boolean;
}

/** A handler running in the realm: a request's, or an internal one another handler or a queue called. */
interface HandlerRun {
  id: number;
  type: string;
  /** The pool it runs on: the caller of its calls, in the report's drawing of the design. */
  pool: string;
  zone: number;
  path: readonly string[];
  startedMs: number;
  settled: boolean;
  /** Real requests the run stands for: the sample's weight (call weights, below). */
  weight: number;
  /** The handler resolved: its response as JSON. */
  done(json: string): void;
  failed(text: string): void;
}

/** One user request, and its attempts (a user retries after a timeout or an error). */
interface UserRequest {
  type: number;
  drawn: Drawn;
  intendedMs: number;
  attempt: number;
  /** The attempt the user is waiting on (a late answer of an earlier one is ignored). */
  current: number;
  finished: boolean;
}

interface CallState {
  id: number;
  run: HandlerRun;
  component: Component;
  op: string;
  args: unknown[];
  policy: CallConfig;
  settled: boolean;
  /** Real calls it stands for, and the shared entity whose coalesced rebuild it is part of, if any (call weights, below). */
  cause: CallCause;
}

/** What a call stands for: `weight` real calls; with `entity`, part of one real caller's rebuild of that shared entity. */
interface CallCause {
  weight: number;
  entity: string | undefined;
}

/** Continuations drained per hop before the run is called a runaway: an async loop that never awaits a call. */
const hopsPerDrainMax = 100_000;
/** Events a run may take (a retry storm of a huge design is stopped here with a verdict). */
const eventsMax = 8_000_000;
/**
 * Calls the design's handlers may make per user request (attempts and one-way sends, on average over the
 * run and over at least `callsBudgetAfter` requests, so a run's first calls are never judged alone): the
 * simulation's own budget, stated as such in the verdict. A run's cost is its calls: every design of the course's exercises, reference, alternative or
 * wrong, makes at most 14 per request on seed 1 (measured 2026-12-02: the news feed's fan-out on write
 * for celebrities too), and a design making a hundred (the news feed's fan-out on read, one call per
 * followed account: 1.3 million events in a 2.5-minute run) would take the wall-time budget, so it is
 * stopped where it went over, and judged on the part it ran, with the budget named in its errors.
 */
export const callsPerRequestBudget = 64;
const callsBudgetAfter = 200;
/** Users' requests sent per simulated second at most (a sample far above this is an authoring error). */
const balancerMs = 0.2;
/** The CDN: an edge hit's time, and the edge's one-way distance to the origin. */
const edgeHitMs = 1;
const edgeToOriginMs = 5;
/** A balancer notices a dead zone after its health checks fail (until then it still sends requests there). */
const healthCheckMs = 10_000;
/** Autoscaling: how often it decides, and how long a new instance takes to serve. */
const autoscaleEveryMs = 30_000;
const bootMs = 60_000;
/** CPU time of an internal handler (another handler's call, a queue's message), before contention. */
const internalCpuMs = 0.3;
/** The backlogs the report charts are looked at no more often than this. */
const backlogSampleMs = 100;
/** A handler still running this long after it started, at the end of the run, never returns. */
const stuckMs = 60_000;

export class DesignSimulation {
  readonly options: DesignOptions;
  readonly errors: RunData["errors"] = [];
  private readonly scenario: ScenarioSpec;
  private readonly knobs: Knobs;
  private readonly entry: RealmEntry;
  private readonly hooks: EngineHooks;
  private readonly events = new EventQueue();
  private readonly rng: Rng;
  private readonly lbRng: Rng;
  private prompt: Prompt | undefined;
  private config: DesignConfig | undefined;
  private world = new Map<string, Component>();
  private topology!: Topology;
  private universe!: LinkUniverse;
  private workload!: Workload;
  private figures!: RunFigures;
  private readonly record = new RecordHash();
  private readonly graph = new CallGraph();
  private backlogSampledMs = -Infinity;
  private readonly runs = new Map<number, HandlerRun>();
  private readonly calls = new Map<number, CallState>();
  /** Per component called: the retry budget's tokens, calls and attempts (and those of the fault's time). */
  private readonly budgets = new Map<string, { tokens: number; calls: number; attempts: number; faultCalls: number; faultAttempts: number }>();
  private nextRun = 1;
  private needsDrain = false;
  private fatal: string | undefined;
  private findings: Record<string, string> = {};
  private edge: CacheModel | undefined;
  private cdn: CdnConfig | undefined;
  private lb: LbConfig | undefined;
  private weight = 1;
  /**
   * Call weights. A simulated call stands for the sample's weight of real ones, but for one case. A
   * set-if-absent (the cache's `add`) won on a key every user shares (a celebrity's rebuild lock) was
   * won by ONE of the real callers the simulated one stands for (the others lost it, as later simulated
   * callers do: world.ts says when a win counts), so the calls that follow the win and name the same
   * entity (reading its timeline, writing the entry back) stand for one real request: the one rebuild
   * that coalescing leaves. "Follow": the calls a continuation makes belong to the answer it continues
   * (the engine answers one call, then drains the continuations it woke, before the next event), and a
   * call naming another key, or a pool's handler, is back at the sample's weight. This is how a design
   * that coalesces a hot entry's rebuild is told from one that does not: an uncoalesced miss keeps the
   * sample's weight, every real reader of its share missing and rebuilding (exact when the rebuild
   * outlasts the gap between simulated readers of the key, weight / its real rate; otherwise an upper
   * bound on the real stampede's min(weight, real rate × rebuild time) readers).
   */
  private cause: CallCause = { weight: 1, entity: undefined };
  private zoneDownAt = new Map<number, number>();
  private afterKind = -1;
  private sink!: DesignEffectSink;
  private readonly deadlines: Deadlines;
  private autoscaled = new Map<PoolComponent, { instanceMs: number; lastMs: number; cpuMs: number }>();
  private faultZone = -1;
  private endMs: number;
  /** User attempts sent, and calls and sends the handlers made (the work budget's count). */
  private userAttempts = 0;
  private callsMade = 0;
  /** Users holding a connection (Prompt.connections): by the key of their connect request, where it lives (−1: dropped). */
  private readonly connected = new Map<string, { index: number; zone: number }>();
  private connectType = -1;
  private reconnects = 0;
  /** The zone that served the latest attempt of a connect request (its connection lives there if it succeeds). */
  private readonly connectZone = new WeakMap<Drawn, number>();
  /** A far user's connect request as the balancer of the pool's region sees it → the user's own. */
  private readonly nearOf = new WeakMap<Drawn, Drawn>();
  private readonly lossRng: Rng;
  private readonly connectionRng: Rng;

  constructor(scenario: ScenarioSpec, knobs: Knobs, entry: RealmEntry, options: DesignOptions, hooks: EngineHooks) {
    this.scenario = scenario;
    this.knobs = knobs;
    this.entry = entry;
    this.options = options;
    this.hooks = hooks;
    this.rng = createRng(knobs.seed, `design/${scenario.name}`);
    this.lbRng = this.rng.fork("balancer");
    // Forks of their own, drawn from only by prompts that use them: other prompts' runs stay as they were.
    this.lossRng = this.rng.fork("response-loss");
    this.connectionRng = this.rng.fork("connections");
    this.afterKind = this.events.on((fn: () => void) => fn());
    this.deadlines = new Deadlines(this.events);
    this.endMs = options.durationMs;
  }

  fail(text: string): void {
    this.fatal ??= text;
  }

  private designError(text: string, timeMs = this.events.nowMs): void {
    if (this.errors.length < runErrorsMax && !this.errors.some((e) => e.text === text)) this.errors.push({ node: "design", timeMs, text });
  }

  // ---- The realm ----

  private call(kind: string, a: number, b: number, s: string): unknown {
    const entry = this.entry;
    return entry(kind, this.events.nowMs, a, b, s);
  }

  /** Applies an answer's effects; true when continuations may be queued behind it. */
  private apply(answer: unknown): boolean {
    return decodeDesignEffects(answer, this.sink);
  }

  private readSpec(): DesignData | undefined {
    this.hooks.running("n1 (the design's top level)");
    const answer = this.call(DesignEntry.Spec, this.knobs.seed, 0, "");
    if (typeof answer !== "string" || (answer[0] !== "s" && answer[0] !== "f")) {
      this.designError("the design's realm answered off-protocol when asked for the design");
      return undefined;
    }
    if (answer[0] === "f") {
      this.designError(answer.slice(1));
      return undefined;
    }
    try {
      return JSON.parse(answer.slice(1)) as DesignData;
    } catch {
      this.designError("the design cannot be read as data");
      return undefined;
    }
  }

  // ---- Setup ----

  private setup(): boolean {
    const prompt = getPrompt(this.options.prompt);
    if (!prompt) {
      this.fail(`unknown design prompt "${this.options.prompt}"`);
      return false;
    }
    this.prompt = prompt;
    this.sink = {
      call: (id, request, component, op, argsJson) => this.startCall(id, request, component, op, argsJson),
      send: (request, component, op, argsJson) => this.startSend(request, component, op, argsJson),
      done: (request, json) => this.handlerDone(request, json),
      threw: (request, text) => this.handlerFailed(request, text),
      misuse: (text) => this.designError(text),
      malformed: (reason) => this.designError(reason),
    };
    const data = this.readSpec();
    if (!data) return false;
    const checked = validateDesign(data, { name: prompt.name, types: prompt.types.map((t) => t.name) });
    if ("problems" in checked) {
      this.findings.design = checked.problems.join("; ");
      for (const problem of checked.problems) this.designError(`the design is not valid: ${problem}`, 0);
      return false;
    }
    this.config = checked.config;
    const realPeak = prompt.traffic.peakPerSec * this.options.growth;
    this.weight = Math.max(1, realPeak / this.options.sampledPeakPerSec);
    this.cause = { weight: this.weight, entity: undefined };
    this.universe = new LinkUniverse(Math.round(prompt.data.existing * this.options.growth), prompt.data.skew);
    this.topology = new Topology(checked.config.regions, this.rng.fork("network"));
    const fault = this.options.fault;
    this.workload = prompt.createWorkload({
      rng: this.rng.fork("workload"),
      universe: this.universe,
      growth: this.options.growth,
      viral: fault?.kind === "viral-key" ? { fromMs: fault.atMs, toMs: fault.atMs + fault.forMs, share: fault.share } : { fromMs: 0, toMs: 0, share: 0 },
      staleBoundMs: prompt.staleBoundMs,
      sampledPeakPerSec: this.options.sampledPeakPerSec,
      ...(fault ? { fault: { kind: fault.kind, fromMs: fault.atMs, toMs: fault.atMs + fault.forMs } } : {}),
      ...(this.options.surge ? { surge: { fromMs: this.options.surge.atMs, toMs: this.options.surge.atMs + this.options.surge.forMs, factor: this.options.surge.factor } } : {}),
      durationMs: this.options.durationMs,
    });
    this.figures = new RunFigures(prompt.types.map((t) => t.name), this.options.durationMs, fault ? { fromMs: fault.atMs, toMs: fault.atMs + fault.forMs } : undefined);
    const host: WorldHost = {
      events: this.events,
      topology: this.topology,
      universe: this.universe,
      rng: this.rng.fork("world"),
      weight: this.weight,
      after: (ms, later) => this.events.at(this.events.nowMs + ms, this.afterKind, later),
      runHandler: (pool, group, handler, request, path, reply, from, weight) => this.runOnPool(pool, group, handler, request, path, reply, from, weight),
      callFrom: (zone, component, op, args, reply) => {
        const target = this.world.get(component);
        if (!target) reply({ ok: false, reason: "rejected", text: `no component ${component}` });
        else target.serve(op, args, zone, [], reply);
      },
      transfer: (from, to, bytes) => this.figures.transfer(this.topology.link(from, to), bytes),
      designError: (text) => this.designError(text),
      lostWrite: (key) => this.workload.lost(key),
      newInstance: () => ++this.instancesMade,
      instanceGone: (id) => void this.apply(this.call(DesignEntry.Drop, id, 0, "")),
      delivered: (provider, to, body) => this.workload.delivered?.(provider, to, body, this.events.nowMs),
      sharedEntity: (key) => this.workload.sharedEntity?.(key),
      readCpuMs: (key) => this.workload.readCpuMs?.(key, this.events.nowMs) ?? 0,
    };
    this.world = buildWorld(checked.config, host, (c) => this.cacheSetup(c));
    const entry = checked.config.components[checked.config.entry]!;
    if (entry.kind === "cdn") {
      this.cdn = entry;
      this.lb = checked.config.components[entry.origin] as LbConfig;
    } else this.lb = entry as LbConfig;
    this.connectAll();
    if (this.cdn) {
      this.edge = new CacheModel(1, Number.MAX_SAFE_INTEGER, { ttlMs: this.cdn.ttlSec * 1000, warm: this.warmStart(this.cdn.ttlSec, Infinity, (rank) => prompt.edgeValue(this.universe, rank)) });
    }
    return true;
  }

  /**
   * The users connected when the run starts (Prompt.connections), each on an instance of the pool that
   * serves its connect requests, chosen as the balancer would: the sample's share of the real users.
   */
  private connectAll(): void {
    const c = this.prompt!.connections;
    if (!c || !this.workload.connection) return;
    this.connectType = this.prompt!.types.findIndex((t) => t.name === c.type);
    if (this.connectType < 0) return;
    const population = Math.round((c.users * this.options.growth) / this.weight);
    for (let index = 0; index < population; index++) {
      const drawn = this.workload.connection(index);
      const group = this.pickGroupWith(this.poolFor(c.type, drawn.origin), this.connectionRng);
      if (group) this.connected.set(drawn.key, { index, zone: group.zone });
    }
  }

  /** The pool a balancer sends a user's request of this type to: the user's region's, the type's route, or the target. */
  private poolFor(type: string, origin: string | undefined): PoolComponent {
    const lb = this.lb!;
    return this.world.get((origin !== undefined ? lb.byRegion[origin] : undefined) ?? lb.routes[type] ?? lb.target) as PoolComponent;
  }

  /** A zone fails: every user connected there reconnects, after the clients' jittered wait (the storm). */
  private dropConnections(zone: number): void {
    const c = this.prompt!.connections;
    if (!c || this.connectType < 0) return;
    for (const at of this.connected.values()) {
      if (at.zone !== zone) continue;
      at.zone = -1;
      this.reconnects++;
      this.after(this.connectionRng.next() * c.reconnectWithinMs, () => this.userRequest(this.connectType, this.workload.connection!(at.index)));
    }
  }

  /** A warm cache of links: the most popular its memory holds, each present (with a TTL) the share of the time full traffic keeps it. */
  private warmStart(ttlSec: number, capacity: number, value: (rank: number) => string): WarmStart {
    const resolvePerSec = this.prompt!.traffic.peakPerSec * this.options.growth * this.prompt!.types[0]!.share;
    const universe = this.universe;
    const presentShare = Number.isFinite(ttlSec)
      ? (rank: number) => {
          const reads = resolvePerSec * universe.share(rank) * ttlSec;
          return reads / (1 + reads);
        }
      : undefined;
    return { universe, ranks: Math.min(capacity, universe.size), value, ...(presentShare ? { presentShare } : {}) };
  }

  private cacheSetup(config: CacheConfig): { capacityEntries: number; warm: WarmStart | undefined } {
    const capacityEntries = Math.floor((config.memoryGb * 1e9) / this.prompt!.data.entryBytes);
    // A cache-aside cache of links (code → URL) as hours of traffic left it; a read-through one the same.
    return { capacityEntries, warm: this.warmStart(config.ttlSec, capacityEntries, (rank) => this.universe.urlOf(rank)) };
  }

  // ---- The run ----

  private schedule(): void {
    const prompt = this.prompt!;
    const d = this.options.durationMs;
    // The busy half of a day: from the day's mean up to the peak halfway through and back, with bursts (1.5× for 20 s, every 2 min on average).
    const amplitude = 0.25;
    const meanSampled = this.options.sampledPeakPerSec / (1 + amplitude);
    const source = createArrivals({ ratePerSec: meanSampled, diurnal: { periodMs: 2 * d, amplitude }, bursts: { everyMs: 120_000, lengthMs: 20_000, factor: 1.5 } }, d, this.rng.fork("arrivals"));
    const mix = this.rng.fork("mix");
    const shares = prompt.types.map((t) => t.share);
    const arrive = this.events.on(() => {
      let u = mix.next();
      let type = 0;
      while (type < shares.length - 1 && u >= shares[type]!) u -= shares[type++]!;
      this.userRequest(type);
      const next = source.next();
      if (next !== Infinity) this.events.at(next, arrive);
    });
    const first = source.next();
    if (first !== Infinity) this.events.at(first, arrive);
    if (this.options.surge) this.scheduleSurge(this.options.surge);
    const fault = this.options.fault;
    if (fault) this.scheduleFault(fault);
    for (const c of this.world.values()) if (c instanceof PoolComponent && c.config.autoscale) this.autoscale(c);
    // The run ends when every user request sent before the end has had its last chance.
    const longest = Math.max(...prompt.types.map((t) => (t.timeoutMs + t.retryDelayMs) * (t.retries + 1)));
    this.endMs = d + longest;
  }

  /**
   * A surge beside the day's traffic (a marketing blast): from its start, extra requests at (factor − 1)
   * times the sampled peak rate, so that the surge's minute carries about `factor` times the peak's
   * requests; the prompt draws them as its surge requests. Streams of their own: a run without a surge
   * draws exactly what it drew before.
   */
  private scheduleSurge(surge: NonNullable<DesignOptions["surge"]>): void {
    const extra = (surge.factor - 1) * this.options.sampledPeakPerSec;
    if (!(extra > 0) || !(surge.forMs > 0)) return;
    const rng = this.rng.fork("surge");
    const source = createArrivals({ ratePerSec: extra }, surge.forMs, rng);
    const mix = rng.fork("mix");
    const shares = this.prompt!.types.map((t) => t.share);
    const arrive = this.events.on(() => {
      let u = mix.next();
      let type = 0;
      while (type < shares.length - 1 && u >= shares[type]!) u -= shares[type++]!;
      this.userRequest(type, this.workload.draw(type, this.events.nowMs, true));
      const next = source.next();
      if (next !== Infinity) this.events.at(surge.atMs + next, arrive);
    });
    const first = source.next();
    if (first !== Infinity) this.events.at(surge.atMs + first, arrive);
  }

  /** Runs the whole simulation, draining the realm's continuations in microtask hops (engine.ts). */
  async runAsync(): Promise<"done" | "interrupted"> {
    if (!this.setup()) return "done";
    this.schedule();
    let checks = 0;
    while (!this.fatal && this.events.nextMs <= this.endMs) {
      this.events.step();
      if (this.needsDrain) {
        // The hops are awaited here, not in an async method of their own: awaiting one would cost every
        // drain a promise and one more microtask turn (the drains of a run are a third of its events).
        this.hooks.running("n1 (the design's promise continuations)");
        for (let hops = 0; ; hops++) {
          await undefined;
          if (!this.hopRan(hops)) break;
        }
        this.needsDrain = false;
      }
      if (++checks >= 2048) {
        checks = 0;
        if (this.hooks.interrupted()) return "interrupted";
        if (this.events.events > eventsMax) this.fail(`event budget exceeded: more than ${eventsMax} events in one run (a retry storm?)`);
        this.holdToBudget();
      }
    }
    this.finish();
    return "done";
  }

  /**
   * After one microtask hop of a drain: collects what the realm's continuations did in it; true when the
   * drain goes on (one ran, so more may be queued behind it), false when the queue is empty or the run
   * is a runaway.
   */
  private hopRan(hops: number): boolean {
    const answer = this.call(DesignEntry.Flush, 0, 0, "");
    // A continuation ran, or one of the runtime's own reactions reported something: more may be queued behind it.
    const progress = this.apply(answer) || (typeof answer === "string" && answer.length > 1);
    if (!progress) return false;
    if (hops >= hopsPerDrainMax) {
      this.fail(`the handlers ran ${hopsPerDrainMax} promise continuations in a row without waiting on a ctx.call (an endless async loop?)`);
      return false;
    }
    return true;
  }

  /** Stops the run where its calls per user request went over the simulation's budget (callsPerRequestBudget). */
  private holdToBudget(): void {
    // Measured over at least `callsBudgetAfter` requests: early on, the budget of that many requests.
    if (this.callsMade <= callsPerRequestBudget * Math.max(this.userAttempts, callsBudgetAfter)) return;
    const perRequest = Math.round(this.callsMade / this.userAttempts);
    const atPeak = perRequest * this.prompt!.traffic.peakPerSec * this.options.growth;
    this.designError(`the handlers made ${perRequest} calls per user request (${this.callsMade.toLocaleString("en-US")} calls and sends for ${this.userAttempts.toLocaleString("en-US")} requests), over the simulation's budget of ${callsPerRequestBudget}: at the peak that is ${(atPeak / 1e6).toFixed(1)} million calls a second. The run stopped at ${(this.events.nowMs / 1000).toFixed(1)} s and is judged on that part. Read many keys in one call (a store's rangeMany), cache what many requests read, or do the work once when data is written`);
    this.endMs = this.events.nowMs;
  }

  private hostStarted = false;
  private hostPending = false;
  /** Pool instances given an id so far (instance-memory.ts). */
  private instancesMade = 0;

  /** The "host" way: events until one needs a drain; the host's turn drains it, and the next call collects. */
  runUntilYield(): "yield" | "done" | "interrupted" {
    if (!this.hostStarted) {
      this.hostStarted = true;
      if (!this.setup()) return "done";
      this.schedule();
    }
    if (this.hostPending) {
      this.hostPending = false;
      this.apply(this.call(DesignEntry.Flush, 0, 0, ""));
      this.needsDrain = false;
    }
    let checks = 0;
    while (!this.fatal && this.events.nextMs <= this.endMs) {
      this.events.step();
      if (this.needsDrain) {
        this.hostPending = true;
        return "yield";
      }
      if (++checks >= 2048) {
        checks = 0;
        if (this.hooks.interrupted()) return "interrupted";
        this.holdToBudget();
      }
    }
    this.finish();
    return "done";
  }

  // ---- Users ----

  private userRequest(type: number, drawn = this.workload.draw(type, this.events.nowMs)): void {
    const request: UserRequest = { type, drawn, intendedMs: this.events.nowMs, attempt: 0, current: 0, finished: false };
    this.figures.sent(type, this.events.nowMs);
    this.sendAttempt(request);
  }

  private sendAttempt(request: UserRequest): void {
    const t = this.prompt!.types[request.type]!;
    const attempt = ++request.attempt;
    request.current = attempt;
    const sentMs = this.events.nowMs;
    this.userAttempts++;
    this.graph.attempt(usersNode, this.config!.entry);
    // The response's way back to the user (balancer, edge) is added to its time, not simulated as an event.
    const answered = (ok: boolean, response: unknown, backMs: number) => {
      if (request.finished || request.current !== attempt) return;
      if (this.events.nowMs + backMs - sentMs > t.timeoutMs) return;
      if (ok) {
        // Lost on its way to the user (responseLoss): they hear nothing, and retry at their timeout.
        if (t.responseLoss && this.lossRng.chance(t.responseLoss)) return;
        if (request.type === this.connectType) this.connectionOpened(request.drawn);
        this.workload.observe(request.type, request.drawn, response, sentMs, this.events.nowMs + backMs);
        this.finishUser(request, 0, backMs);
      } else this.retryOrFail(request, 1);
    };
    this.deadlines.add(t.timeoutMs, () => {
      if (request.finished || request.current !== attempt) return;
      this.retryOrFail(request, 2);
    });
    const edgeKey = this.cdn && this.edge && this.cdn.cache.includes(t.name) ? this.prompt!.edgeKey(request.type, request.drawn) : undefined;
    if (edgeKey !== undefined) {
      const hit = this.edge!.get(edgeKey, sentMs);
      if (hit !== undefined) {
        this.figures.edge(true);
        this.after(edgeHitMs, () => answered(true, JSON.parse(hit), 0));
        return;
      }
      this.figures.edge(false);
      this.graph.attempt(this.cdn!.name, this.cdn!.origin);
      this.after(edgeHitMs + edgeToOriginMs, () =>
        this.viaBalancer(request.type, request.drawn, (ok, response, json, backMs) => {
          if (ok && json !== undefined) this.edge!.set(edgeKey, json, this.events.nowMs);
          answered(ok, response, backMs + edgeToOriginMs);
        }),
      );
      return;
    }
    this.viaBalancer(request.type, request.drawn, (ok, response, _json, backMs) => answered(ok, response, backMs));
  }

  /** A connect succeeded: the user's connection now lives where it was served. */
  private connectionOpened(drawn: Drawn): void {
    const zone = this.connectZone.get(drawn);
    const at = this.connected.get(drawn.key);
    if (zone !== undefined && at) at.zone = zone;
  }

  private retryOrFail(request: UserRequest, outcome: 1 | 2): void {
    const t = this.prompt!.types[request.type]!;
    this.graph.failed(usersNode, this.config!.entry);
    if (request.attempt <= t.retries) {
      this.figures.userRetry(request.type);
      request.current = -1;
      this.after(t.retryDelayMs, () => this.sendAttempt(request));
      return;
    }
    this.finishUser(request, outcome, 0);
  }

  private finishUser(request: UserRequest, outcome: 0 | 1 | 2, backMs: number): void {
    request.finished = true;
    this.sampleBacklogs();
    const latencyMs = this.events.nowMs + backMs - request.intendedMs;
    this.figures.finished(request.type, request.intendedMs, outcome, latencyMs, this.prompt!.types[request.type]!.responseBytes);
    this.record.add(request.type);
    this.record.add(outcome);
    this.record.add(Math.round(latencyMs * 1000));
  }

  /**
   * What waits at each component (requests queued for a slot, a queue's messages), looked at as users'
   * requests finish, at most every 100 ms: no event of its own, so the run's events and hash do not change.
   */
  private sampleBacklogs(): void {
    const now = this.events.nowMs;
    if (now - this.backlogSampledMs < backlogSampleMs) return;
    this.backlogSampledMs = now;
    for (const c of this.world.values()) {
      let waiting = c instanceof QueueComponent ? c.backlog : 0;
      for (const s of c.stations()) waiting += s.queued;
      this.figures.backlog(c.name, now, waiting);
    }
  }

  private after(ms: number, fn: () => void): void {
    this.events.at(this.events.nowMs + ms, this.afterKind, fn);
  }

  /** Through the balancer to a pool instance; `back` runs when the handler is done, with the time its response takes back to the balancer. */
  private viaBalancer(type: number, drawn: Drawn, back: (ok: boolean, response: unknown, json: string | undefined, backMs: number) => void): void {
    const t = this.prompt!.types[type]!;
    const lb = this.lb!;
    const origin = drawn.origin;
    // Geo routing first (the users' own region's pool), then the type's route, then the target.
    const pool = this.world.get((origin !== undefined ? lb.byRegion[origin] : undefined) ?? lb.routes[t.name] ?? lb.target) as PoolComponent;
    // A user far from the pool's region crosses the internet between the two, each way.
    const farMs = origin !== undefined && origin !== pool.config.region ? regionRoundTripMs(origin, pool.config.region) / 2 : 0;
    if (farMs > 0) {
      // Over the internet to the pool's region first (holding nothing on the way), then through its
      // balancer as a local user's request; the response crosses back. Only routes and target send a user
      // elsewhere (byRegion names a pool of the user's own region), so the second pass picks the same pool.
      const { origin: _far, ...near } = drawn;
      // Across a partition between the user's region and the pool's, the request is lost (the user's timeout ends it).
      if (!this.topology.regionsConnected(origin!, pool.config.region)) return;
      if (type === this.connectType) this.nearOf.set(near, drawn);
      this.after(farMs, () => this.viaBalancer(type, near, (ok, response, json, backMs) => back(ok, response, json, backMs + farMs)));
      return;
    }
    const group = this.pickGroup(pool);
    this.graph.attempt(lb.name, pool.name);
    if (!group) {
      this.graph.failed(lb.name, pool.name);
      // No instance anywhere: the balancer answers 503.
      this.after(balancerMs, () => back(false, undefined, undefined, 0));
      return;
    }
    // A zone the health checks have not yet caught: the request goes to a dead instance and hangs until the user gives up.
    if (!group.station.up) return;
    // Across a partition between the user's region and the pool's, the request is lost the same way.
    if (!this.topology.regionsConnected(drawn.origin ?? this.config!.regions[0]!, pool.config.region)) return;
    if (type === this.connectType) this.connectZone.set(this.nearOf.get(drawn) ?? drawn, group.zone);
    const legMs = balancerMs + this.topology.sampleMs(group.zone, group.zone);
    this.runOnGroup(pool, group, t.name, JSON.stringify(drawn.payload), t.cpuMs, legMs, [], this.weight, (result, json) => {
      back(result.ok, result.ok ? result.value : undefined, json, balancerMs + this.topology.sampleMs(group.zone, group.zone));
    });
  }

  /** The balancer's choice: zones it has not yet noticed are down still get their share. */
  private pickGroup(pool: PoolComponent): PoolGroup | undefined {
    return this.pickGroupWith(pool, this.lbRng);
  }

  private pickGroupWith(pool: PoolComponent, rng: Rng): PoolGroup | undefined {
    const now = this.events.nowMs;
    const seen = (g: PoolGroup) => g.instances > 0 && (g.station.up || now - (this.zoneDownAt.get(g.zone) ?? -Infinity) < healthCheckMs);
    let total = 0;
    for (const g of pool.groups) if (seen(g)) total += g.instances;
    if (total === 0) return undefined;
    let k = rng.int(total);
    for (const g of pool.groups) {
      if (!seen(g)) continue;
      if (k < g.instances) return g;
      k -= g.instances;
    }
    return undefined;
  }

  // ---- Handlers ----

  /** An internal handler called by another component: over the network to the group and back. */
  private runOnPool(pool: PoolComponent, group: PoolGroup, handler: string, request: unknown, path: readonly string[], reply: Reply, from: number, weight: number): void {
    // A queue's consumer (its path starts at "<queue>.consumer"); a handler's call to a pool counts in attempt().
    if (path.length === 1 && path[0]!.endsWith(".consumer")) this.graph.attempt(path[0]!.slice(0, -".consumer".length), pool.name);
    let json: string;
    try {
      json = JSON.stringify(request ?? null);
    } catch {
      this.after(0, () => reply({ ok: false, reason: "rejected", text: "the request cannot be sent as JSON" }));
      return;
    }
    const backMs = this.topology.sampleMs(group.zone, from);
    // A call across a partition is lost, as is its answer: the caller's timeout ends the wait.
    if (!this.topology.connected(from, group.zone)) return;
    this.runOnGroup(pool, group, handler, json, internalCpuMs, this.topology.sampleMs(from, group.zone), path, weight, (result) =>
      this.after(backMs, () => {
        if (this.topology.connected(group.zone, from)) reply(result);
      }),
    );
  }

  /**
   * Takes a slot on the group (the request arrives `legMs` later: folded into its first step), spends the
   * handler's CPU time, runs the handler in the realm, and holds the slot until the handler is done.
   */
  private runOnGroup(pool: PoolComponent, group: PoolGroup, handler: string, payloadJson: string, cpuMs: number, legMs: number, path: readonly string[], weight: number, done: (result: CallResult, json?: string) => void): void {
    const station = group.station;
    const gen = station.gen;
    station.submit({
      started: (s) => {
        const slotMs = this.events.nowMs;
        this.after(legMs + s.cpu(cpuMs, weight), () => {
          // The instance died: nothing answers.
          if (s.gen !== gen) return;
          const id = this.nextRun++;
          const run: HandlerRun = {
            id,
            type: handler,
            pool: pool.name,
            zone: group.zone,
            path,
            startedMs: this.events.nowMs,
            settled: false,
            weight,
            done: (json) => {
              if (s.gen !== gen) return;
              s.hold(slotMs, this.events.nowMs - slotMs, weight);
              done({ ok: true, value: JSON.parse(json) as unknown }, json);
            },
            failed: (text) => {
              if (s.gen !== gen) return;
              s.hold(slotMs, this.events.nowMs - slotMs, weight);
              done({ ok: false, reason: "unavailable", text });
            },
          };
          this.runs.set(id, run);
          this.hooks.running(`n1 (the ${handler} handler)`);
          // On one of the group's instances, in turn: its own module state (instance-memory.ts).
          this.cause = { weight, entity: undefined };
          this.apply(this.call(DesignEntry.Start, id, group.zone, `${handler}\t${group.memory.next(group.instances)}\t${payloadJson}`));
          this.needsDrain = true;
        });
      },
      failed: (_s, why) => {
        if (why === "full") this.after(0, () => done({ ok: false, reason: "unavailable", text: `${pool.name} is overloaded (its queue is full)` }));
      },
    });
  }

  private handlerDone(id: number, json: string): void {
    const run = this.runs.get(id);
    if (!run || run.settled) return;
    run.settled = true;
    this.runs.delete(id);
    run.done(json);
  }

  private handlerFailed(id: number, text: string): void {
    const run = this.runs.get(id);
    if (!run || run.settled) return;
    run.settled = true;
    this.runs.delete(id);
    // A handler that let a failed call's CallError through is an unavailable request; anything else is a bug in it.
    if (/ handler (threw|rejected with) (TypeError|ReferenceError|RangeError|SyntaxError|EvalError|URIError)\b/.test(text) || !/ handler (threw|rejected with|failed: CallError)/.test(text)) this.designError(text);
    run.failed(text);
  }

  // ---- Calls ----

  private startCall(id: number, request: number, component: string, op: string, argsJson: string): void {
    const run = this.runs.get(request) ?? this.detached(request);
    const target = this.world.get(component);
    let args: unknown[];
    try {
      args = JSON.parse(argsJson) as unknown[];
    } catch {
      this.designError(`ctx.call("${component}", "${op}"): its arguments arrived unreadable`);
      return;
    }
    if (!target || !Array.isArray(args)) {
      this.designError(`ctx.call: no component "${component}" to call`);
      return;
    }
    const call: CallState = { id, run, component: target, op, args, policy: this.config!.calls[component] ?? defaultCall, settled: false, cause: this.causeOf(args) };
    this.calls.set(id, call);
    const budget = this.budgetOf(component);
    budget.calls++;
    if (this.inFault()) budget.faultCalls++;
    if (call.policy.retryBudget === call.policy.retryBudget) budget.tokens = Math.min(10, budget.tokens + call.policy.retryBudget);
    this.attempt(call, 1);
  }

  /**
   * A one-way message (ctx.send): served like a call, from the same place, but nothing waits for it, so it
   * has no timeout, no retries and no answer (what it does still happens, and is still paid for).
   */
  private startSend(request: number, component: string, op: string, argsJson: string): void {
    const run = this.runs.get(request) ?? this.detached(request);
    const target = this.world.get(component);
    let args: unknown;
    try {
      args = JSON.parse(argsJson);
    } catch {
      this.designError(`ctx.send("${component}", "${op}"): its arguments arrived unreadable`);
      return;
    }
    if (!target || !Array.isArray(args)) {
      this.designError(`ctx.send: no component "${component}" to send to`);
      return;
    }
    this.callsMade++;
    target.serve(op, args, run.zone, run.path, noReply, this.causeOf(args).weight);
  }

  /** A new call's cause: the coalesced rebuild it continues if it names that entity's key, else the sample's weight. */
  private causeOf(args: unknown[]): CallCause {
    const c = this.cause;
    if (c.entity === undefined) return c;
    const key = args[0];
    return typeof key === "string" && this.workload.sharedEntity?.(key) === c.entity ? c : { weight: this.weight, entity: undefined };
  }

  /** Whether the task's fault is striking now. */
  private inFault(): boolean {
    const fault = this.options.fault;
    return fault !== undefined && this.events.nowMs >= fault.atMs && this.events.nowMs < fault.atMs + fault.forMs;
  }

  /** A call made after its handler finished (a fire-and-forget): it still runs, from the same place. */
  private detached(request: number): HandlerRun {
    return { id: request, type: "(finished)", pool: "", zone: 0, path: [], startedMs: this.events.nowMs, settled: true, weight: this.weight, done: () => {}, failed: () => {} };
  }

  private budgetOf(component: string) {
    let b = this.budgets.get(component);
    if (!b) this.budgets.set(component, (b = { tokens: 0, calls: 0, attempts: 0, faultCalls: 0, faultAttempts: 0 }));
    return b;
  }

  private attempt(call: CallState, n: number): void {
    if (call.settled) return;
    let over = false;
    const policy = call.policy;
    const spent = this.budgetOf(call.component.name);
    spent.attempts++;
    this.callsMade++;
    if (this.inFault()) spent.faultAttempts++;
    if (call.run.pool) this.graph.attempt(call.run.pool, call.component.name);
    call.component.serve(call.op, call.args, call.run.zone, call.run.path, (result) => {
      if (over || call.settled) return;
      over = true;
      if (result.ok) this.settle(call, result);
      else this.failedAttempt(call, n, result);
    }, call.cause.weight);
    this.deadlines.add(policy.timeoutMs, () => {
      if (over || call.settled) return;
      over = true;
      this.failedAttempt(call, n, { ok: false, reason: "timeout", text: `no answer within ${policy.timeoutMs} ms` });
    });
  }

  private failedAttempt(call: CallState, n: number, result: Extract<CallResult, { ok: false }>): void {
    const policy = call.policy;
    if (call.run.pool) this.graph.failed(call.run.pool, call.component.name);
    if (result.reason !== "rejected" && n <= policy.retries) {
      const budget = this.budgetOf(call.component.name);
      const allowed = policy.retryBudget !== policy.retryBudget || budget.tokens >= 1;
      if (allowed) {
        if (policy.retryBudget === policy.retryBudget) budget.tokens -= 1;
        const waitMs = this.rng.next() * policy.backoffMs * 2 ** (n - 1);
        this.after(waitMs, () => this.attempt(call, n + 1));
        return;
      }
    }
    this.settle(call, result);
  }

  private settle(call: CallState, result: CallResult): void {
    call.settled = true;
    this.calls.delete(call.id);
    this.hooks.running(`n1 (a continuation of the ${call.run.type} handler)`);
    this.cause = result.ok && result.coalesced !== undefined ? { weight: 1, entity: result.coalesced } : call.cause;
    let value = "";
    if (result.ok) {
      value = result.value === undefined ? "" : JSON.stringify(result.value);
      this.apply(this.call(DesignEntry.Resolve, call.id, 0, value));
    } else this.apply(this.call(DesignEntry.Resolve, call.id, 1, `${result.reason}\t${result.text}`));
    this.needsDrain = true;
  }

  // ---- Faults and autoscaling ----

  private scheduleFault(fault: NonNullable<DesignOptions["fault"]>): void {
    const start = fault.atMs;
    const end = fault.atMs + fault.forMs;
    switch (fault.kind) {
      case "zone-outage": {
        this.faultZone = this.drawFaultZone();
        this.after(start, () => {
          this.zoneDownAt.set(this.faultZone, this.events.nowMs);
          for (const c of this.world.values()) c.zoneDown(this.faultZone);
          this.dropConnections(this.faultZone);
        });
        this.after(end, () => {
          this.zoneDownAt.delete(this.faultZone);
          for (const c of this.world.values()) c.zoneUp(this.faultZone);
        });
        break;
      }
      case "primary-failure": {
        const store = [...this.world.values()].find((c): c is SqlComponent | KvComponent => c instanceof SqlComponent || c instanceof KvComponent);
        if (!store) break;
        const shard = store.store.shards[0]!;
        const copy = shard.copies[shard.primary]!;
        this.faultZone = copy.zone;
        this.after(start, () => store.store.fail(copy));
        this.after(end, () => store.store.recover(copy));
        break;
      }
      case "cache-node-loss": {
        const cache = [...this.world.values()].find((c): c is CacheComponent => c instanceof CacheComponent);
        if (cache) this.after(start, () => cache.loseNode(0));
        break;
      }
      case "region-partition":
        // The region's links to every other region fail (its users included); inside each side all works.
        this.after(start, () => this.topology.cut(fault.region, end));
        this.after(end, () => this.topology.heal());
        break;
      case "viral-key":
        // The workload sends the share to one link (prompt).
        break;
      case "celebrity-post":
        // The workload has celebrities post while it lasts (prompt).
        break;
      case "replica-lag": {
        // Every SQL store's asynchronous replicas fall seconds behind (a long query, a vacuum): reads from them miss recent writes.
        const stores = [...this.world.values()].filter((c): c is SqlComponent => c instanceof SqlComponent);
        this.after(start, () => stores.forEach((c) => (c.replicaLag = laggingDelay)));
        this.after(end, () => stores.forEach((c) => (c.replicaLag = asyncDelay)));
        break;
      }
      case "provider-outage": {
        // The provider the design leans on: the one that delivered the most until the fault (the first on a tie).
        let target: ProviderComponent | undefined;
        this.after(start, () => {
          for (const c of this.world.values()) if (c instanceof ProviderComponent && (!target || c.delivered > target.delivered)) target = c;
          if (target) target.down = true;
        });
        this.after(end, () => {
          if (target) target.down = false;
        });
        break;
      }
      case "storage-outage": {
        // Every zone of the first region, for the components that hold state there (a bad deploy of the
        // data tier, or a partition between the services and it): they hang, and caches come back empty.
        const stateful = [...this.world.values()].filter((c): c is CacheComponent | SqlComponent | KvComponent => (c instanceof CacheComponent || c instanceof SqlComponent || c instanceof KvComponent) && c.config.region === this.config!.regions[0]);
        this.after(start, () => {
          for (const c of stateful) for (const z of [0, 1, 2]) c.zoneDown(z);
        });
        this.after(end, () => {
          for (const c of stateful) for (const z of [0, 1, 2]) c.zoneUp(z);
        });
        break;
      }
    }
  }

  /** The zone that fails: drawn from the seed among the zones holding a store's primary (where an outage hurts), else any zone used. */
  private drawFaultZone(): number {
    const primaries = new Set<number>();
    const used = new Set<number>();
    for (const c of this.world.values()) {
      if (c instanceof SqlComponent) for (const s of c.store.shards) primaries.add(s.copies[s.primary]!.zone);
      for (const s of c.stations()) if (this.topology.regionOf(s.zone) === 0) used.add(s.zone);
    }
    const from = [...(primaries.size ? primaries : used)].sort((a, b) => a - b);
    return from.length ? from[this.rng.fork("fault").int(from.length)]! : 0;
  }

  private autoscale(pool: PoolComponent): void {
    const a = pool.config.autoscale!;
    const state = { instanceMs: 0, lastMs: 0, cpuMs: 0 };
    this.autoscaled.set(pool, state);
    const tick = () => {
      const now = this.events.nowMs;
      state.instanceMs += pool.count * (now - state.lastMs);
      state.lastMs = now;
      // CPU use over the instances that are up (a zone that is down does no work, and the group replaces it).
      const live = pool.groups.filter((g) => g.station.up);
      const liveCount = live.reduce((n, g) => n + g.instances, 0);
      const cpuMs = pool.groups.reduce((n, g) => n + g.station.cpuMs, 0);
      const used = (cpuMs - state.cpuMs) / (pool.config.vcpu * Math.max(1, liveCount) * autoscaleEveryMs);
      state.cpuMs = cpuMs;
      const want = Math.max(a.min, Math.min(a.max - (pool.count - liveCount), Math.ceil((liveCount * used) / a.targetCpu)));
      if (want > liveCount + pool.booting && live.length > 0) {
        const add = want - liveCount - pool.booting;
        pool.booting += add;
        this.after(bootMs, () => {
          pool.booting -= add;
          for (let i = 0; i < add; i++) {
            const group = pool.groups.filter((g) => g.station.up).sort((x, y) => x.instances - y.instances)[0];
            if (!group) break;
            pool.resize(group, group.instances + 1);
            pool.count++;
          }
        });
      } else if (want < liveCount) {
        for (let i = liveCount; i > want; i--) {
          const group = pool.groups.filter((g) => g.station.up && g.instances > 1).sort((x, y) => y.instances - x.instances)[0];
          if (!group) break;
          pool.resize(group, group.instances - 1);
          pool.count--;
        }
      }
      if (now + autoscaleEveryMs < this.options.durationMs) this.after(autoscaleEveryMs, tick);
    };
    this.after(autoscaleEveryMs, tick);
  }

  // ---- The end ----

  private finish(): void {
    const now = this.events.nowMs;
    for (const run of this.runs.values()) {
      if (run.settled || now - run.startedMs < stuckMs) continue;
      this.designError(`the ${run.type} handler never returned (the first such request started at ${(run.startedMs / 1000).toFixed(1)} s and was still running at the end): it awaits something that never settles`, run.startedMs);
      break;
    }
  }

  logs(): RunData["logs"] {
    if (!this.config && !this.prompt) return [];
    const answer = this.call(DesignEntry.Logs, 0, 0, "");
    if (typeof answer !== "string" || answer[0] !== "s") return [];
    try {
      const lines = JSON.parse(answer.slice(1)) as unknown[];
      return Array.isArray(lines) ? lines.slice(0, 200).map((text) => ({ node: "n1", timeMs: 0, text: String(text) })) : [];
    } catch {
      return [];
    }
  }

  outcome(): DesignOutcome {
    const base = { recordHash: this.record.digest(), events: this.events.events, simulatedMs: Math.round(this.events.nowMs), ...(this.fatal ? { fatal: this.fatal } : {}) };
    if (!this.config || !this.prompt) return { figures: {}, series: {}, findings: this.findings, cost: {}, ...base };
    const figures = this.figures.summary(this.events.nowMs);
    Object.assign(figures, this.workload.figures(), { sampleWeight: Math.round(this.weight * 100) / 100 });
    // The work budget's measure: calls and one-way sends the handlers made per user request (attempt).
    figures.callsPerRequest = this.userAttempts ? Math.round((this.callsMade / this.userAttempts) * 10) / 10 : 0;
    const findings = { ...this.findings, ...this.workload.examples() };
    // Components: utilisation, hit ratios, replication, failover.
    let gets = 0, hits = 0, lost = 0, oldestLostMs = 0, lagAtFailureMs = 0, lostReal = 0;
    for (const c of this.world.values()) {
      const stations = c.stations();
      figures[`util.${c.name}`] = round3(utilisation(stations, this.events.nowMs));
      if (c instanceof CacheComponent) {
        gets += c.model.gets;
        hits += c.model.hits;
        figures[`hitRatio.${c.name}`] = c.model.gets ? round3(c.model.hits / c.model.gets) : 0;
      }
      if (c instanceof SqlComponent || c instanceof KvComponent) {
        const ratio = (ops: number[]) => {
          const mean = ops.reduce((a, b) => a + b, 0) / ops.length;
          return mean > 0 ? Math.round((Math.max(...ops) / mean) * 100) / 100 : 1;
        };
        figures[`hotShard.${c.name}`] = ratio(c.store.shards.map((s) => s.readsServed + s.writesServed));
        figures[`hotShardWrites.${c.name}`] = ratio(c.store.shards.map((s) => s.writesServed));
        figures[`replicationLagMsMax.${c.name}`] = Math.round(c.store.lagMsMax * 10) / 10;
        for (const l of c.store.lost) {
          lost++;
          oldestLostMs = Math.max(oldestLostMs, l.failedMs - l.ackedMs);
        }
        for (const f of c.store.failovers) {
          lagAtFailureMs = Math.max(lagAtFailureMs, f.lagMs);
          lostReal += (f.writesPerSec * f.lagMs) / 1000;
        }
        if (c instanceof KvComponent) figures[`throttled.${c.name}`] = c.throttled;
      }
      if (c instanceof QueueComponent) {
        figures[`published.${c.name}`] = c.published;
        figures[`consumed.${c.name}`] = c.consumed;
        figures[`backlogMax.${c.name}`] = c.backlogMax;
        figures[`backlogEnd.${c.name}`] = c.backlog;
        figures[`throttled.${c.name}`] = c.throttled;
        figures[`redelivered.${c.name}`] = c.redelivered;
      }
      if (c instanceof ProviderComponent) {
        figures[`delivered.${c.name}`] = c.delivered;
        figures[`refused.${c.name}`] = c.refused;
        figures[`repeats.${c.name}`] = c.repeats;
      }
    }
    figures.hitRatio = gets ? round3(hits / gets) : 0;
    if (this.edge) figures.cdnHitRatio = round3(this.figures.edgeHitRatio());
    // Acknowledged writes lost: those of the sample (exact), and at full traffic the writes of the promoted
    // replica's lag at the failure (the sample's writes are too sparse to fall in a lag of milliseconds).
    figures.lostWrites = lost;
    figures.lostWritesReal = Math.max(Math.round(lost * this.weight), Math.round(lostReal));
    figures.rpoSec = Math.round(Math.max(oldestLostMs, lagAtFailureMs)) / 1000;
    for (const [name, b] of this.budgets) figures[`attemptsPerCall.${name}`] = b.calls ? Math.round((b.attempts / b.calls) * 100) / 100 : 0;
    // While the fault lasts: the attempts each call made, retries included (a retry storm multiplies them).
    for (const [name, b] of this.budgets) if (b.faultCalls > 0) figures[`faultAttemptsPerCall.${name}`] = Math.round((b.faultAttempts / b.faultCalls) * 100) / 100;
    if (this.faultZone >= 0) figures.faultZone = this.faultZone;
    if (this.connectType >= 0) {
      figures.connectedEnd = [...this.connected.values()].filter((c) => c.zone >= 0).length;
      figures.reconnects = this.reconnects;
    }
    const cost = designCost(this.config, {
      weight: this.weight,
      simulatedMs: this.options.durationMs,
      meanOverPeak: this.prompt.traffic.meanOverPeak,
      peakShare: 1 / (1 + 0.125),
      transfer: this.figures.transferBytes(),
      responseBytes: this.figures.responseBytes(),
      world: this.world,
      storedGb: ((this.universe.size + (this.prompt.data.storedRecords ?? 0) * this.options.growth) * this.prompt.data.recordBytes) / 1e9,
      autoscaled: new Map([...this.autoscaled].map(([pool, s]) => [pool.name, s.lastMs > 0 ? s.instanceMs / s.lastMs : pool.count])),
      edgeRequests: this.figures.edgeRequests(),
      userRequests: figures.requests! + Object.keys(figures).filter((k) => k.endsWith(".userRetries")).reduce((n, k) => n + figures[k]!, 0),
    });
    figures.costUsdPerMonth = cost.total!;
    Object.assign(figures, this.graph.figures(this.config));
    // For the report's charts: the window of its series, and the fault's, to shade.
    figures.seriesWindowSec = this.figures.windowMs / 1000;
    if (this.options.fault) {
      figures.faultFromMs = this.options.fault.atMs;
      figures.faultToMs = this.options.fault.atMs + this.options.fault.forMs;
    }
    if (!Number.isFinite(cost.total)) this.designError(`the design's cost is not a finite number of dollars (${Object.entries(cost).filter(([, v]) => !Number.isFinite(v)).map(([k]) => k).join(", ")})`);
    return { figures, series: this.figures.series(), findings, cost, ...base };
  }
}

function utilisation(stations: Station[], nowMs: number): number {
  let used = 0, capacity = 0;
  for (const s of stations) {
    used += s.cpuMs;
    capacity += s.vcpuPerInstance * Math.max(1, s.instances) * nowMs;
  }
  return capacity > 0 ? used / capacity : 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export { lognormal };
