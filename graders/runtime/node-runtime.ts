/**
 * One node's runtime: its clock, timers, randomness, handlers and outbox, behind one entry function that
 * takes and returns strings, so no object of the simulator's realm is ever reachable from learner code.
 * It is a factory so that both sandboxes can use it: isolated-vm gives every node a realm of its own
 * (node-realm.ts installs `globals` onto that realm's globalThis); the browser Worker has one realm and
 * hands `globals` to each node's code as its scope (sandbox/scope/).
 *
 * Entry protocol: entry(kind, trueMs, arg) → lines joined by "\n": first "1" or "0" (promise continuations
 * pending), then one effect a line, fields split by tabs, the last field JSON (JSON text has no raw tab or
 * newline, so no escaping is needed and the simulator never re-parses a body it only forwards):
 *   s <dest> <type> <body json>  send · t <timerId> <delayMs> timer · k <key json> <value json|null> storage
 *   l <text json> log line · e <text json> uncaught error in learner code
 */
import type { Body, Message, Node, Storage } from "./node-api.ts";
import { createRng, type Rng } from "../sim/prng.ts";
import { describeError, safeStringify } from "./describe.ts";

interface InitConfig {
  id: string;
  nodeIds: string[];
  seed: number;
  skewMs: number;
  driftPpm: number;
  storage: Record<string, string>;
}

// Captured before learner code runs, so that tampering with globals cannot change how we talk to the simulator.
const { parse, stringify } = JSON;
const { floor } = Math;
const OriginalPromise = Promise;
/** The unhooked `then`: the sandboxes hook Promise.prototype.then to notice continuations, never this. */
export const originalThen = Promise.prototype.then;
const originalQueueMicrotask: (fn: () => void) => void =
  typeof globalThis.queueMicrotask === "function"
    ? globalThis.queueMicrotask
    : (fn) => void originalThen.call(OriginalPromise.resolve(), fn);
const OriginalDate = Date;

/** Tabs and newlines separate the fields and lines of the effect protocol, so ids and types must not hold them. */
const hasSeparator = (text: string): boolean => text.indexOf("\t") !== -1 || text.indexOf("\n") !== -1;

/** What learner code sees in place of its realm's clock, timers, randomness and console. */
export interface NodeGlobals {
  random: () => number;
  Date: DateConstructor;
  performance: { now(): number };
  setTimeout: (fn: () => void, ms?: number) => number;
  setInterval: (fn: () => void, ms?: number) => number;
  clearTimeout: (id: number) => void;
  clearInterval: (id: number) => void;
  console: Pick<Console, "log" | "info" | "warn" | "error" | "debug">;
  queueMicrotask: (fn: () => void) => void;
}

export interface NodeRuntime {
  entry: (kind: string, trueMs: number, arg: string, src: string) => string;
  globals: NodeGlobals;
  /** Called by the sandbox's `then` hook: a continuation was queued, so the simulator must flush this node. */
  markAsync(): void;
}

/**
 * A node's runtime. `takeSolution` hands over the learner's module exports once, at boot: the sandbox
 * evaluated the solution before (its top-level code already ran with `globals` in place).
 */
export function createNodeRuntime(takeSolution: () => unknown): NodeRuntime {
  let trueMs = 0;
  let skewMs = 0;
  let driftPpm = 0;
  let rng: Rng = createRng(0, "unbooted");
  let outbox: string[] = [];
  let asyncPending = false;
  let nextTimerId = 1;
  let nextMsgId = 1;
  const timers = new Map<number, { fn: () => void; everyMs: number }>();
  const handlers = new Map<string, (msg: Message) => unknown>();
  const pendingRpcs = new Map<number, { resolve: (m: Message) => void; reject: (e: unknown) => void; timer: number }>();
  let node: Node | undefined;

  const localNow = (): number => floor(trueMs * (1 + driftPpm / 1e6) + skewMs);

  function reportError(where: string, error: unknown): void {
    outbox.push(`e\t${stringify(`${where} threw ${describeError(error)}`)}`);
  }

  function watchAsync(where: string, result: unknown): void {
    if (result !== null && (typeof result === "object" || typeof result === "function")) {
      let then: unknown;
      try {
        then = (result as { then?: unknown }).then;
      } catch (error) {
        reportError(where, error);
        return;
      }
      if (typeof then === "function") {
        asyncPending = true;
        originalThen.call(result as Promise<unknown>, undefined, (error: unknown) => reportError(where, error));
      }
    }
  }

  function run(where: string, fn: () => unknown): void {
    try {
      watchAsync(where, fn());
    } catch (error) {
      reportError(where, error);
    }
  }

  function addTimer(ms: number, fn: () => void, every: boolean): number {
    if (typeof fn !== "function") throw new TypeError("timer callback must be a function");
    const delay = Math.max(1, Math.floor(Number(ms) || 0));
    const id = nextTimerId++;
    timers.set(id, { fn, everyMs: every ? delay : 0 });
    outbox.push(`t\t${id}\t${delay}`);
    return id;
  }

  function send(dest: string, body: Body): void {
    if (typeof dest !== "string") throw new TypeError(`send: dest must be a node id string, got ${typeof dest}`);
    if (body === null || typeof body !== "object" || typeof body.type !== "string") {
      throw new TypeError('send: body must be an object with a string "type"');
    }
    if (hasSeparator(dest)) throw new TypeError(`send: "${dest}" is not a node id`);
    let json: string | undefined;
    try {
      json = stringify(body);
    } catch (error) {
      throw new TypeError(`send: the "${String(body.type)}" body cannot be serialised as JSON (${describeError(error)})`);
    }
    if (json === undefined) throw new TypeError(`send: the "${String(body.type)}" body serialises to nothing`);
    const type = hasSeparator(body.type) ? body.type.replace(/[\t\n]/g, " ") : body.type;
    outbox.push(`s\t${dest}\t${type}\t${json}`);
  }

  function makeNode(config: InitConfig, store: Map<string, string>): Node {
    const storage: Storage = {
      get: (key) => {
        const raw = store.get(String(key));
        return raw === undefined ? undefined : parse(raw);
      },
      set: (key, value) => {
        const raw = stringify(value);
        if (raw === undefined) throw new TypeError("storage.set: value is not JSON-serialisable");
        store.set(String(key), raw);
        outbox.push(`k\t${stringify(String(key))}\t${raw}`);
      },
      delete: (key) => {
        store.delete(String(key));
        outbox.push(`k\t${stringify(String(key))}\tnull`);
      },
      keys: () => [...store.keys()],
    };
    const api: Node = {
      id: config.id,
      peers: Object.freeze(config.nodeIds.filter((n) => n !== config.id)),
      nodeIds: Object.freeze([...config.nodeIds]),
      on: (type, handler) => {
        if (typeof handler !== "function") throw new TypeError(`on("${type}"): handler must be a function`);
        handlers.set(String(type), handler);
      },
      send,
      reply: (request, body) => {
        send(request.src, { ...body, in_reply_to: request.body.msg_id });
      },
      rpc: (dest, body, options) =>
        new OriginalPromise<Message>((resolve, reject) => {
          const msgId = nextMsgId++;
          send(dest, { ...body, msg_id: msgId });
          const timeoutMs = options?.timeoutMs ?? 1000;
          const timer = addTimer(timeoutMs, () => {
            pendingRpcs.delete(msgId);
            asyncPending = true;
            reject(Object.assign(new Error(`rpc to ${dest} timed out after ${timeoutMs} ms`), { code: 0 }));
          }, false);
          pendingRpcs.set(msgId, { resolve, reject, timer });
        }),
      after: (ms, fn) => addTimer(ms, fn, false),
      every: (ms, fn) => addTimer(ms, fn, true),
      cancel: (id) => void timers.delete(id),
      now: localNow,
      random: () => rng.next(),
      storage,
      log: (...args) => {
        const text = args.map((a) => (typeof a === "string" ? a : safeStringify(a))).join(" ");
        outbox.push(`l\t${stringify(text.length > 2000 ? `${text.slice(0, 2000)}…` : text)}`);
      },
    };
    return Object.freeze(api);
  }

  function deliver(bodyJson: string, src: string): void {
    // The envelope is built here, not parsed: the simulator forwards only the body's JSON.
    const msg: Message = { src, dest: node?.id ?? "", body: parse(bodyJson) as Message["body"] };
    const replyTo = msg.body.in_reply_to;
    if (typeof replyTo === "number" && pendingRpcs.has(replyTo)) {
      const pending = pendingRpcs.get(replyTo)!;
      pendingRpcs.delete(replyTo);
      timers.delete(pending.timer);
      asyncPending = true;
      if (msg.body.type === "error") {
        const text = typeof msg.body.text === "string" ? msg.body.text : "error reply";
        pending.reject(Object.assign(new Error(`rpc to ${msg.src} failed: ${text}`), { code: msg.body.code, body: msg.body }));
      } else {
        pending.resolve(msg);
      }
      return;
    }
    const handler = handlers.get(msg.body.type);
    if (!handler) {
      if (typeof msg.body.msg_id === "number") {
        send(msg.src, { type: "error", code: 10, text: `no handler for "${msg.body.type}"`, in_reply_to: msg.body.msg_id });
      }
      return;
    }
    try {
      const result = handler(msg);
      // Most handlers return undefined: the label is only built for one that returned something.
      if (result !== undefined) watchAsync(`the "${msg.body.type}" handler`, result);
    } catch (error) {
      reportError(`the "${msg.body.type}" handler`, error);
      if (typeof msg.body.msg_id === "number") {
        send(msg.src, { type: "error", code: 13, text: "handler crashed", in_reply_to: msg.body.msg_id });
      }
    }
  }

  function boot(config: InitConfig): void {
    skewMs = config.skewMs;
    driftPpm = config.driftPpm;
    rng = createRng(config.seed, `node/${config.id}`);
    const store = new Map(Object.entries(config.storage));
    node = makeNode(config, store);
    const solution = takeSolution() as { default?: unknown } | undefined;
    const start = solution?.default;
    if (typeof start !== "function") {
      outbox.push(`e\t${stringify("the solution does not `export default function start(node) { … }`")}`);
      return;
    }
    run("start(node)", () => (start as (n: Node) => unknown)(node!));
  }

  function entry(kind: string, now: number, arg: string, src: string): string {
    // The outbox may already hold what promise continuations did since the last call: keep it.
    trueMs = now;
    if (kind === "msg") deliver(arg, src);
    else if (kind === "timer") {
      const id = Number(arg);
      const timer = timers.get(id);
      if (timer) {
        if (timer.everyMs > 0) outbox.push(`t\t${id}\t${timer.everyMs}`);
        else timers.delete(id);
        run("a timer callback", timer.fn);
      }
    } else if (kind === "init") boot(parse(arg) as InitConfig);
    // kind "flush": only collect what promise continuations did since the last call.
    const out = outbox;
    const pending = asyncPending ? "1" : "0";
    outbox = [];
    asyncPending = false;
    return out.length === 0 ? pending : `${pending}\n${out.join("\n")}`;
  }

  // Determinism: this node's clock, timers and randomness are the simulator's.
  class SimDate extends OriginalDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(localNow());
      else super(...(args as [number]));
    }
    static override now(): number {
      return localNow();
    }
  }
  const clearTimer = (id: number) => void timers.delete(id);
  const globals: NodeGlobals = {
    random: () => rng.next(),
    // Calling `Date()` without `new` throws here: a string of the wall clock has no virtual counterpart.
    Date: SimDate as unknown as DateConstructor,
    performance: Object.freeze({ now: () => localNow() }),
    setTimeout: (fn, ms) => addTimer(ms ?? 0, fn, false),
    setInterval: (fn, ms) => addTimer(ms ?? 0, fn, true),
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    console: Object.freeze({
      log: (...a: unknown[]) => node?.log(...a),
      info: (...a: unknown[]) => node?.log(...a),
      warn: (...a: unknown[]) => node?.log("warn:", ...a),
      error: (...a: unknown[]) => node?.log("error:", ...a),
      debug: (...a: unknown[]) => node?.log(...a),
    }),
    // A microtask queued in a step must run before the simulator moves on.
    queueMicrotask: (fn) => {
      asyncPending = true;
      originalQueueMicrotask(fn);
    },
  };
  return { entry, globals, markAsync: () => void (asyncPending = true) };
}
