/**
 * The Node sandbox: one fresh isolate per run, the simulator in a realm of its own, each node in its own
 * realm. Only strings and numbers cross a boundary; the learner's code never sees an isolated-vm handle.
 */
import ivm from "isolated-vm";
import { sandboxBundles } from "./bundles.ts";
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox, type SandboxLimits } from "../types.ts";
import type { SimResult } from "../../sim/simulator.ts";
import { doesNotCompileMessage, stackOverflowMessage, topLevelThrewMessage, wallBudgetMessage } from "../verdicts.ts";

/** Process-wide guard: the isolate limit is a guideline, so refuse to go on past this resident size. */
const rssGuardBytes = 3 * 1024 ** 3;

class BudgetError extends Error {}

/**
 * V8's code cache for the two engine bundles, made by the first run in this process: later isolates skip
 * parsing and compiling them. Learner code is not cached (it changes between runs).
 */
const codeCache = new Map<string, ivm.ExternalCopy<ArrayBuffer>>();

function compileCached(isolate: ivm.Isolate, code: string, filename: string): ivm.Script {
  const cachedData = codeCache.get(code);
  const script: ivm.Script & ivm.CachedDataResult = isolate.compileScriptSync(
    code,
    cachedData ? { cachedData, filename } : { produceCachedData: true, filename },
  );
  if (!cachedData && script.cachedData) codeCache.set(code, script.cachedData);
  return script;
}

export function createIsolatedVmSandbox(): Sandbox {
  return { run: runInIsolate };
}

async function runInIsolate(request: RunRequest): Promise<RunOutcome> {
  const limits = { ...defaultSandboxLimits, ...request.limits };
  const { simJs, nodeJs, componentJs } = await sandboxBundles();
  const started = performance.now();
  const deadline = started + limits.wallMs;
  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  const elapsed = () => Math.round(performance.now() - started);
  const remaining = () => {
    const left = Math.floor(deadline - performance.now());
    if (left <= 0) throw new BudgetError("wall");
    return left;
  };
  const sim = isolate.createContextSync();
  const contexts = new Map<string, ivm.Context>();
  try {
    compileCached(isolate, simJs, "clusterlab-sim.js").runSync(sim, { timeout: remaining() });
    const refs = new Map<string, ivm.Reference>();
    const call = (name: string, args: Array<string | number> = [], timeout = remaining()): string => {
      let ref = refs.get(name);
      if (!ref) refs.set(name, (ref = sim.global.getSync(name, { reference: true })));
      return ref.applySync(undefined, args, { timeout }) as string;
    };
    call("__sim_create", [JSON.stringify(request.scenario), JSON.stringify(request.knobs)]);

    // Compiled once per run, run in every node's realm (and again in a restarted node's fresh realm).
    const runtimeScript = request.harness === "component" ? compileCached(isolate, componentJs, "clusterlab-component.js") : compileCached(isolate, nodeJs, "clusterlab-node.js");
    let solutionScript: ivm.Script;
    try {
      solutionScript = isolate.compileScriptSync(request.solutionJs, { filename: "solution.js" });
    } catch (error) {
      throw new SolutionError(doesNotCompileMessage(error));
    }
    const boot = (nodeId: string): void => {
      contexts.get(nodeId)?.release();
      const ctx = isolate.createContextSync();
      contexts.set(nodeId, ctx);
      runtimeScript.runSync(ctx, { timeout: remaining() });
      try {
        solutionScript.runSync(ctx, { timeout: remaining() });
      } catch (error) {
        if (isTimeout(error)) throw new BudgetError(`wall:${nodeId}:top level`);
        throw new SolutionError(topLevelThrewMessage(nodeId, error));
      }
      const entry = ctx.global.getSync("__clusterlab_entry", { reference: true });
      ctx.global.deleteSync("__clusterlab_entry");
      sim.global.setSync("__entry_slot", entry.derefInto());
      call("__sim_attach", [nodeId]);
    };
    for (const id of request.knobs.nodeIds) boot(id);

    for (;;) {
      if (process.memoryUsage.rss() > rssGuardBytes) {
        return { kind: "error", message: `memory guard: the grading process passed ${rssGuardBytes / 1024 ** 3} GiB resident`, wallMs: elapsed() };
      }
      let signal: string;
      try {
        signal = call("__sim_run");
      } catch (error) {
        if (isTimeout(error)) {
          let node = "";
          try {
            node = call("__sim_current", [], 100);
          } catch {
            // The isolate may be unusable after the timeout; the verdict still names the budget.
          }
          throw new BudgetError(`wall:${node}`);
        }
        throw error;
      }
      if (signal === "done") break;
      if (signal.startsWith("restart ")) boot(signal.slice("restart ".length));
      // "yield": promise continuations ran when the call returned; go on.
    }
    const data = JSON.parse(call("__sim_result")) as SimResult;
    if (data.fatal) return { kind: "error", message: data.fatal, wallMs: elapsed() };
    const heapUsedBytes = isolate.getHeapStatisticsSync().used_heap_size;
    return { kind: "data", data: { ...data, scenario: request.scenario, knobs: request.knobs }, wallMs: elapsed(), heapUsedBytes };
  } catch (error) {
    return { kind: "error", message: explain(error, limits), wallMs: elapsed() };
  } finally {
    for (const ctx of contexts.values()) ctx.release();
    if (!isolate.isDisposed) isolate.dispose();
  }
}

class SolutionError extends Error {}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed out/i.test(error.message);
}

function explain(error: unknown, limits: SandboxLimits): string {
  if (error instanceof BudgetError) {
    const [, node, where] = error.message.split(":");
    return wallBudgetMessage(limits, node, where);
  }
  if (error instanceof SolutionError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/memory limit|disposed/i.test(message)) {
    return `memory budget exceeded: the sandbox passed its ${limits.memoryMb} MB limit (${message})`;
  }
  if (/Maximum call stack/i.test(message)) return stackOverflowMessage(message);
  return `the sandbox stopped: ${message}`;
}
