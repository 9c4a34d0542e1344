/**
 * One node's runtime: its clock, timers, randomness, handlers and outbox, behind one entry function that
 * takes and returns strings, so no object of the simulator's realm is ever reachable from learner code.
 * It is a factory so that both sandboxes can use it: isolated-vm gives every node a realm of its own
 * (node-realm.ts installs `globals` onto that realm's globalThis); the one-realm sandbox hands `globals`
 * to each node's code as its scope (sandbox/scope/).
 *
 * What the entry returns is the effect protocol of graders/protocol/effects.ts. Everything a learner
 * passes in is read once and validated here, where the learner called: a bad argument is a TypeError that
 * names the call, never a corrupt line for the simulator to find later.
 */
import type { Body, Message, Node, Storage } from "../api.ts";
import { createRng, type Rng } from "../../../sim/prng.ts";
import { localMsAt, trueClock, type ClockSpec } from "../../../sim/clock.ts";
import { describeError, safeStringify } from "../../../runtime/describe.ts";
import { markingPromise } from "../../../runtime/marking-promise.ts";
import { originalThen, type RealmGlobals } from "../../../runtime/realm-globals.ts";
import { encodeEffects, encodeError, encodeLog, encodeSend, encodeStorage, encodeTimer, hasSeparator, timerDelayMsMax } from "../../../protocol/effects.ts";
import { EntryKind } from "../../../protocol/host.ts";
import { ErrorCode } from "../../../protocol/errors.ts";

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
const { isFinite } = Number;
const OriginalPromise = Promise;
const originalQueueMicrotask: (fn: () => void) => void =
  typeof globalThis.queueMicrotask === "function"
    ? globalThis.queueMicrotask
    : (fn) => void originalThen.call(OriginalPromise.resolve(), fn);

/** node.rpc's timeout when the caller names none: Maelstrom's clients wait a second too (../api.ts says so). */
const rpcTimeoutMsDefault = 1000;

/** Longest log line kept, in characters. */
const logLineCharsMax = 2000;


export interface NodeRuntime {
  entry: (kind: string, trueMs: number, arg: string, src: string) => string;
  globals: RealmGlobals;
  /** This node's local clock and random stream: what the realm's Date and Math.random read. */
  now(): number;
  random(): number;
  /** Hands over the learner's module exports once, after its top-level code ran (before init). */
  setExports(exports: unknown): void;
  /** Called by the sandbox's `then` hook: a continuation was queued, so the simulator must flush this node. */
  markAsync(): void;
}

/** A delay in ms as a learner passed it: a finite number from 0 to a day (0 fires at the next ms), or a TypeError naming the call. */
function delayMsOf(call: string, ms: unknown): number {
  if (ms === undefined) return 1;
  if (typeof ms !== "number" || !isFinite(ms) || ms < 0 || ms > timerDelayMsMax) {
    throw new TypeError(`${call}: the delay must be a number of ms from 0 to ${timerDelayMsMax}, got ${typeof ms === "number" ? String(ms) : typeof ms}`);
  }
  return ms < 1 ? 1 : floor(ms);
}

/** A node's runtime. The sandbox evaluates the learner's code with `globals` in place, then hands its exports over with `setExports`. */
export function createNodeRuntime(): NodeRuntime {
  let trueMs = 0;
  let clock: ClockSpec = trueClock;
  let rng: Rng = createRng(0, "unbooted");
  let outbox: string[] = [];
  let asyncPending = false;
  let nextTimerId = 1;
  let nextMsgId = 1;
  let exports: unknown;
  const timers = new Map<number, { fn: () => void; everyMs: number }>();
  const handlers = new Map<string, (msg: Message) => unknown>();
  const pendingRpcs = new Map<number, { resolve: (m: Message) => void; reject: (e: unknown) => void; timer: number }>();
  let node: Node | undefined;

  const localNow = (): number => localMsAt(clock, trueMs);

  function reportError(what: string, error: unknown): void {
    outbox.push(encodeError(stringify(`${what} ${describeError(error)}`)));
  }

  /** A handler or callback that returned a thenable: its rejection is the learner's uncaught error. */
  function watchAsync(where: string, result: unknown): void {
    if (result !== null && (typeof result === "object" || typeof result === "function")) {
      let then: unknown;
      try {
        then = (result as { then?: unknown }).then;
      } catch (error) {
        reportError(`${where} threw`, error);
        return;
      }
      if (typeof then === "function") {
        asyncPending = true;
        try {
          // Through a promise of our own: a learner's thenable is not a Promise, so `then` cannot take it as `this`.
          originalThen.call(OriginalPromise.resolve(result), undefined, (error: unknown) => reportError(`${where} rejected with`, error));
        } catch (error) {
          reportError(`${where} threw`, error);
        }
      }
    }
  }

  function run(where: string, fn: () => unknown): void {
    try {
      watchAsync(where, fn());
    } catch (error) {
      reportError(`${where} threw`, error);
    }
  }

  function addTimer(call: string, ms: unknown, fn: unknown, every: boolean): number {
    if (typeof fn !== "function") throw new TypeError(`${call}: the callback must be a function, got ${typeof fn}`);
    const delay = delayMsOf(call, ms);
    const id = nextTimerId++;
    timers.set(id, { fn: fn as () => void, everyMs: every ? delay : 0 });
    outbox.push(encodeTimer(id, delay));
    return id;
  }

  /**
   * Serialises a body exactly once, from a snapshot of its own fields: a getter runs once, a `toJSON`
   * cannot swap the body, and the type the trace records is the type the receiver gets.
   */
  function send(call: string, dest: unknown, body: unknown, extra?: Record<string, unknown>): void {
    if (typeof dest !== "string" || dest.length === 0 || hasSeparator(dest)) {
      throw new TypeError(`${call}: dest must be a node or client id such as "n2", got ${typeof dest === "string" ? stringify(dest) : typeof dest}`);
    }
    if (body === null || typeof body !== "object") throw new TypeError(`${call}: the body must be an object with a string "type", got ${body === null ? "null" : typeof body}`);
    const snapshot: Record<string, unknown> = { ...(body as Record<string, unknown>), ...extra };
    delete snapshot.toJSON;
    const type = snapshot.type;
    if (typeof type !== "string" || type.length === 0) throw new TypeError(`${call}: the body needs a string "type", got ${typeof type}`);
    if (hasSeparator(type)) throw new TypeError(`${call}: the message type ${stringify(type)} holds a tab or newline`);
    let json: string | undefined;
    try {
      json = stringify(snapshot);
    } catch (error) {
      throw new TypeError(`${call}: the "${type}" body cannot be serialised as JSON (${describeError(error)})`);
    }
    if (json === undefined) throw new TypeError(`${call}: the "${type}" body serialises to nothing`);
    outbox.push(encodeSend(dest, type, json));
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
        const name = String(key);
        store.set(name, raw);
        outbox.push(encodeStorage(stringify(name), raw));
      },
      delete: (key) => {
        const name = String(key);
        store.delete(name);
        outbox.push(encodeStorage(stringify(name), "null"));
      },
      keys: () => [...store.keys()],
    };
    const api: Node = {
      id: config.id,
      peers: Object.freeze(config.nodeIds.filter((n) => n !== config.id)),
      nodeIds: Object.freeze([...config.nodeIds]),
      on: (type, handler) => {
        if (typeof handler !== "function") throw new TypeError(`node.on("${String(type)}"): the handler must be a function`);
        handlers.set(String(type), handler);
      },
      send: (dest, body) => send("node.send", dest, body),
      reply: (request, body) => {
        const req = request as Message | undefined;
        send("node.reply", req?.src, body, { in_reply_to: req?.body?.msg_id });
      },
      rpc: (dest, body, options) =>
        new OriginalPromise<Message>((resolve, reject) => {
          const msgId = nextMsgId++;
          const timeoutMs = delayMsOf("node.rpc timeoutMs", options?.timeoutMs ?? rpcTimeoutMsDefault);
          send("node.rpc", dest, body, { msg_id: msgId });
          const timer = addTimer("node.rpc", timeoutMs, () => {
            pendingRpcs.delete(msgId);
            asyncPending = true;
            reject(Object.assign(new Error(`rpc to ${String(dest)} got no reply within ${timeoutMs} ms`), { code: ErrorCode.Timeout }));
          }, false);
          pendingRpcs.set(msgId, { resolve, reject, timer });
        }),
      after: (ms, fn) => addTimer("node.after", ms, fn, false),
      every: (ms, fn) => addTimer("node.every", ms, fn, true),
      cancel: (id) => void timers.delete(id),
      now: localNow,
      random: () => rng.next(),
      storage,
      log: (...args) => {
        const text = args.map((a) => (typeof a === "string" ? a : safeStringify(a))).join(" ");
        outbox.push(encodeLog(stringify(text.length > logLineCharsMax ? `${text.slice(0, logLineCharsMax)}…` : text)));
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
        send("the runtime", msg.src, { type: "error", code: ErrorCode.NotSupported, text: `no handler for "${msg.body.type}"`, in_reply_to: msg.body.msg_id });
      }
      return;
    }
    try {
      const result = handler(msg);
      // Most handlers return undefined: the label is only built for one that returned something.
      if (result !== undefined) watchAsync(`the "${msg.body.type}" handler`, result);
    } catch (error) {
      reportError(`the "${msg.body.type}" handler threw`, error);
      if (typeof msg.body.msg_id === "number") {
        send("the runtime", msg.src, { type: "error", code: ErrorCode.Crash, text: "handler crashed", in_reply_to: msg.body.msg_id });
      }
    }
  }

  function boot(config: InitConfig): void {
    clock = { skewMs: config.skewMs, driftPpm: config.driftPpm };
    rng = createRng(config.seed, `node/${config.id}`);
    const store = new Map(Object.entries(config.storage));
    node = makeNode(config, store);
    const solution = exports as { default?: unknown } | undefined;
    exports = undefined;
    let start: unknown;
    try {
      start = solution?.default;
    } catch (error) {
      reportError("reading the default export threw", error);
      return;
    }
    if (typeof start !== "function") {
      outbox.push(encodeError(stringify("the solution does not `export default function start(node) { … }`")));
      return;
    }
    run("start(node)", () => (start as (n: Node) => unknown)(node!));
  }

  function entry(kind: string, now: number, arg: string, src: string): string {
    // The outbox may already hold what promise continuations did since the last call: keep it.
    trueMs = now;
    if (kind === EntryKind.Message) deliver(arg, src);
    else if (kind === EntryKind.Timer) {
      const id = Number(arg);
      const timer = timers.get(id);
      if (timer) {
        if (timer.everyMs > 0) outbox.push(encodeTimer(id, timer.everyMs));
        else timers.delete(id);
        run("a timer callback", timer.fn);
        // A timer is how code waits (`await new Promise((r) => node.after(ms, r))`): the callback resolves a
        // promise that an `await` is suspended on, and V8 queues that continuation internally, past the
        // `then` hook that marks the others. Ask for one flush after every timer so it runs now, not at the
        // node's next message (which may never come).
        asyncPending = true;
      }
    } else if (kind === EntryKind.Init) boot(parse(arg) as InitConfig);
    // EntryKind.Flush: only collect what promise continuations did since the last call.
    const answer = encodeEffects(asyncPending, outbox);
    outbox = [];
    asyncPending = false;
    return answer;
  }

  const clearTimer = (id: number) => void timers.delete(id);
  const globals: RealmGlobals = {
    performance: Object.freeze({ now: () => localNow() }),
    setTimeout: (fn, ms) => addTimer("setTimeout", ms ?? 0, fn, false),
    setInterval: (fn, ms) => addTimer("setInterval", ms ?? 0, fn, true),
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    console: Object.freeze({
      log: (...a: unknown[]) => node?.log(...a),
      info: (...a: unknown[]) => node?.log(...a),
      warn: (...a: unknown[]) => node?.log("warn:", ...a),
      error: (...a: unknown[]) => node?.log("error:", ...a),
      debug: (...a: unknown[]) => node?.log(...a),
    }),
    // A stored resolver called from a handler queues its `await`'s continuation where no hook sees it.
    Promise: markingPromise(() => void (asyncPending = true)),
    // A microtask queued in a step must run before the simulator moves on.
    queueMicrotask: (fn) => {
      if (typeof fn !== "function") throw new TypeError("queueMicrotask: the callback must be a function");
      asyncPending = true;
      originalQueueMicrotask(fn);
    },
  };
  return {
    entry,
    globals,
    now: localNow,
    random: () => rng.next(),
    setExports: (value) => void (exports = value),
    markAsync: () => void (asyncPending = true),
  };
}
