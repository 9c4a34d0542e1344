/**
 * The sandbox process: forked by process-sandbox.ts, it runs one request at a time in the in-process
 * sandbox and answers each with its RunOutcome as one JSON string. A fatal V8 error in a learner's isolate
 * (an allocation V8 cannot survive) aborts this process, not the grader's; the parent turns the death into a
 * verdict. Arguments: the sandbox kind ("isolated-vm" or "browser"), a fixed resident guard in MB or "", and
 * realm reuse ("true", "false", or "" for the default).
 */
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox } from "../types.ts";
import { guardMarker, type ChildMessage, type ParentMessage } from "./process-sandbox.ts";
import type { SandboxOptions } from "./realm-reuse.ts";

/**
 * Which module builds each kind's sandbox, and its exports that make one and that prepare its bundles:
 * the one switch point for a new kind. Only that module's imports load (never the engine's modules).
 */
const factories: Record<string, { module: string; load: () => Promise<Record<string, unknown>>; name: string; prepare: string }> = {
  // Each import names its module as it is: the process's bundle (process-sandbox.ts) holds both, each
  // loaded only when its kind is asked for.
  "isolated-vm": { module: "./isolated-vm.ts", load: () => import("./isolated-vm.ts"), name: "createIsolatedVmSandbox", prepare: "prepareIsolatedVmSandbox" },
  browser: { module: "./one-realm-ivm.ts", load: () => import("./one-realm-ivm.ts"), name: "createOneRealmIvmSandbox", prepare: "prepareOneRealmIvmSandbox" },
};

/**
 * Resident size this process may reach during a run, unless the parent fixed one: the engine's own (~100 MB with the bundles, code cache
 * and a few GCs behind it) and room for the isolate's heap twice over, which V8 overshoots before it stops a
 * run. WebAssembly memory, outside the isolate's limit, meets this guard instead.
 */
function residentGuardMb(memoryMb: number): number {
  return 384 + 2 * memoryMb;
}

/** Past this resident size after a run the process retires, so the next run starts in a fresh one. */
function retireMb(memoryMb: number): number {
  return 256 + memoryMb;
}

/**
 * A thread of its own polls the resident size, because the main thread is blocked inside the isolate for a
 * whole step (isolated-vm's sync calls), and kills the process past the guard: a SIGKILL the parent reads
 * with the marker line. It also kills the process when its parent is gone (re-parented), so a run stuck in
 * a long step leaves no orphan. `limit[0]` is the guard in MB, 0 between runs.
 */
const guardSource = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const limit = new Int32Array(workerData.shared);
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
  const guardMb = Atomics.load(limit, 0);
  if (guardMb === 0) return;
  const rssMb = Math.round(process.memoryUsage.rss() / 1048576);
  if (rssMb <= guardMb) return;
  writeSync(2, ${JSON.stringify(guardMarker)} + " reached " + rssMb + " MB, over its guard of " + guardMb + " MB\\n");
  process.kill(process.pid, "SIGKILL");
}, 10);
`;

function startResidentGuard(): Int32Array {
  const shared = new SharedArrayBuffer(4);
  new Worker(guardSource, { eval: true, workerData: { shared } }).unref();
  return new Int32Array(shared);
}

/** A sandbox; one that answers a run as JSON text (isolated-vm.ts runText) has it sent on as it is. */
type Inner = Sandbox & { runText?(request: RunRequest): Promise<string> };

async function createInner(kind: string, options: SandboxOptions): Promise<Inner> {
  const factory = factories[kind];
  if (!factory) throw new Error(`unknown sandbox kind "${kind}" (known: ${Object.keys(factories).join(", ")})`);
  let exports: Record<string, unknown> = {};
  try {
    exports = await factory.load();
  } catch (error) {
    // Only the module itself missing means "not yet"; a missing import inside it is a bug to report as is.
    const path = fileURLToPath(new URL(factory.module, import.meta.url));
    const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String((error as Error).message).includes(`'${path}'`);
    if (!missing) throw error;
  }
  const [create, prepare] = [exports[factory.name], exports[factory.prepare]];
  for (const [name, value] of [[factory.name, create], [factory.prepare, prepare]] as const) {
    if (typeof value !== "function") throw new Error(`sandbox kind "${kind}" is not available yet: no ${name} exported from graders/sandbox/node/${factory.module.slice(2)}`);
  }
  // The bundles are built once per process; building them now overlaps the parent's first request.
  await (prepare as () => Promise<unknown>)();
  return (create as (options: SandboxOptions) => Inner)(options);
}

function send(message: ChildMessage): Promise<void> {
  return sendText(JSON.stringify(message));
}

function sendText(text: string): Promise<void> {
  return new Promise((resolve) => process.send!(text, () => resolve()));
}

/** An "outcome" ChildMessage as JSON, around the outcome's own JSON text. */
function outcomeMessage(id: number, outcome: string, retiring: boolean): string {
  return `{"type":"outcome","id":${JSON.stringify(id)},"outcome":${outcome},"retiring":${JSON.stringify(retiring)}}`;
}

async function main(): Promise<void> {
  if (!process.send) {
    process.stderr.write("sandbox-child.ts runs as a child of createProcessSandbox (it needs an IPC channel)\n");
    process.exit(2);
  }
  // No orphans: when the grader goes, so does its sandbox process.
  process.on("disconnect", () => process.exit(0));
  const guard = startResidentGuard();
  const reuse = process.argv[4];
  const inner = createInner(process.argv[2] ?? "isolated-vm", reuse === "true" || reuse === "false" ? { reuseRealms: reuse === "true" } : {});
  const fixedGuardMb = Number(process.argv[3]) || undefined;
  inner.then(
    () => send({ type: "ready" }),
    (error: Error) => send({ type: "setup-failed", message: error.message }).then(() => process.exit(1)),
  );

  let queue = Promise.resolve();
  const handle = async (text: string): Promise<void> => {
    const { id, request } = JSON.parse(text) as ParentMessage;
    const sandbox = await inner;
    const memoryMb = request.limits?.memoryMb ?? defaultSandboxLimits.memoryMb;
    const guardMb = fixedGuardMb ?? residentGuardMb(memoryMb);
    Atomics.store(guard, 0, guardMb);
    let outcome: string;
    try {
      outcome = sandbox.runText ? await sandbox.runText(request) : JSON.stringify(await sandbox.run(request));
    } catch (error) {
      outcome = JSON.stringify({ kind: "error", message: `the sandbox stopped: ${(error as Error)?.message ?? String(error)}`, wallMs: 0 } satisfies RunOutcome);
    }
    Atomics.store(guard, 0, 0);
    const retiring = process.memoryUsage.rss() > Math.min(retireMb(memoryMb), guardMb) * 1024 ** 2;
    await sendText(outcomeMessage(id, outcome, retiring));
    if (retiring) process.exit(0);
  };
  process.on("message", (text: string) => {
    queue = queue.then(() => handle(text)).catch(() => undefined);
  });
}

await main();
