/**
 * The protocol between a sandbox's host loop and the engine that runs inside the sandbox.
 *
 * The host calls the engine's `run()`, which processes events until it must hand control back, and says
 * why with a signal:
 *   "done"          the run is over: take the result
 *   "yield"         a realm left promise continuations pending: they run when the host call returns (or,
 *                   in one realm, at the next macrotask), then call run() again
 *   "restart <id>"  realm <id> must get a fresh realm: the host makes it, attaches it, calls run() again
 *   "interrupted"   the engine's `interrupt` hook asked to stop (a wall-time budget): no result
 *
 * And the engine calls a node realm's entry with one of the entry kinds, a virtual time, and strings.
 */

export const Signal = { Done: "done", Yield: "yield", Interrupted: "interrupted" } as const;
const restartPrefix = "restart ";

export type HostSignal =
  | { kind: "done" }
  | { kind: "yield" }
  | { kind: "interrupted" }
  | { kind: "restart"; realm: string };

export const restartSignal = (realm: string): string => `${restartPrefix}${realm}`;

/** Reads a signal; an unknown one is the engine's bug, said plainly. */
export function decodeSignal(signal: string): HostSignal {
  if (signal === Signal.Done || signal === Signal.Yield || signal === Signal.Interrupted) return { kind: signal };
  if (signal.startsWith(restartPrefix)) return { kind: "restart", realm: signal.slice(restartPrefix.length) };
  throw new Error(`the engine answered an unknown signal ${JSON.stringify(signal.slice(0, 40))}`);
}

/** What the engine asks a node's realm to do: entry(kind, trueMs, arg, src). */
export const EntryKind = {
  /** arg: the node's InitConfig as JSON. */
  Init: "init",
  /** arg: the message body's JSON; src: its sender. */
  Message: "msg",
  /** arg: the timer id. */
  Timer: "timer",
  /** Only collect what promise continuations did since the last call. */
  Flush: "flush",
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/**
 * The globals through which a host reaches a realm it made. Each is taken (and deleted) by the host before
 * any learner code runs in that realm, so learner code can neither read nor replace them.
 */
export const RealmGlobal = {
  /** A learner realm's entry function. */
  Entry: "__clusterlab_entry",
  /** A learner realm's loader: load(factory) locks the realm down, runs the solution's top level, keeps its exports. */
  Load: "__clusterlab_load",
} as const;

/** What a realm's load() answers when it fails: the prefix tells the host which verdict to give ("" is success). */
export const loadFailure = { compile: "compile:", threw: "threw:" } as const;

/** A verdict a realm made itself travels to its host as "stopped:<budget>:<message>" (budget "" when none). */
export const stoppedPrefix = "stopped:";

/**
 * What the engine realm's Result answers for a run that could not finish: this, then the reason. Any other
 * answer is the run's data as JSON (an object: "{…"), which the host can then pass on without reading it.
 */
export const fatalResultPrefix = "fatal:";

/** The engine realm's functions, in the isolated-vm sandbox (see sandbox/engine-realm.ts). */
export const EngineGlobal = {
  Create: "__sim_create",
  /** The slot the host puts a learner realm's entry in, for Attach to take. */
  EntrySlot: "__sim_entry_slot",
  Attach: "__sim_attach",
  Run: "__sim_run",
  Current: "__sim_current",
  Result: "__sim_result",
} as const;

/** The one-realm sandbox's functions when it runs in a realm the host made (see sandbox/scope/realm-entry.ts). */
export const OneRealmGlobal = {
  Create: "__one_realm_create",
  Boot: "__one_realm_boot",
  Step: "__one_realm_step",
  Current: "__one_realm_current",
  Result: "__one_realm_result",
} as const;
