/**
 * The Node sandbox: one fresh isolate per run, the simulator in a realm of its own, each node in its own
 * realm. Only strings and numbers cross a boundary; the learner's code never sees an isolated-vm handle.
 *
 * Each learner realm runs its runtime bundle first; the host then takes the realm's entry and loader
 * (and deletes them) before any learner code runs, so learner code can neither read nor replace them.
 * The loader locks the realm down and only then compiles and runs the solution's top level.
 */
import ivm from "isolated-vm";
import { sandboxBundles } from "./bundles.ts";
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox } from "../types.ts";
import type { EngineResult, RunData } from "../../contract.ts";
import { finishedOutcome } from "../run-data.ts";
import { RunStopped, doesNotCompileMessage, memoryBudgetMessage, stoppedOutcome, topLevelThrewMessage } from "../verdicts.ts";
import { driveIsolate, topLevelOf, wallClock } from "./isolate-run.ts";
import { EngineGlobal, RealmGlobal, loadFailure } from "../../protocol/host.ts";
import { getHarness } from "../../harness/index.ts";

/** Process-wide guard: the isolate limit is a guideline, so refuse to go on past this resident size. */
const rssGuardBytes = 3 * 1024 ** 3;

/**
 * V8's code cache for the engine bundles, made by the first run in this process: later isolates skip
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
  const { simJs, realmJs } = await sandboxBundles();
  let current = "";
  const { elapsed, remaining } = wallClock(limits, () => current);
  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
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
    call(EngineGlobal.Create, [JSON.stringify(request.scenario), JSON.stringify(request.knobs)]);

    // Compiled once per run, run in every learner realm (and again in a restarted node's fresh realm).
    const harness = getHarness(request.harness);
    const runtimeScript = compileCached(isolate, realmJs[harness.name], `clusterlab-${harness.name}-realm.js`);
    const take = (ctx: ivm.Context, name: string): ivm.Reference => {
      const ref = ctx.global.getSync(name, { reference: true });
      ctx.global.deleteSync(name);
      return ref;
    };
    const host = {
      boot(realm: string): void {
        current = realm;
        contexts.get(realm)?.release();
        const ctx = isolate.createContextSync();
        contexts.set(realm, ctx);
        runtimeScript.runSync(ctx, { timeout: remaining() });
        // Taken before any learner code exists in this realm.
        const entry = take(ctx, RealmGlobal.Entry);
        const load = take(ctx, RealmGlobal.Load);
        let answer: string;
        try {
          answer = topLevelOf(limits, realm, () => load.applySync(undefined, [request.solutionJs], { timeout: remaining() }) as string);
        } finally {
          load.release();
        }
        if (answer.startsWith(loadFailure.compile)) throw new RunStopped(doesNotCompileMessage(answer.slice(loadFailure.compile.length)));
        if (answer.startsWith(loadFailure.threw)) throw new RunStopped(topLevelThrewMessage(realm, answer.slice(loadFailure.threw.length)));
        sim.global.setSync(EngineGlobal.EntrySlot, entry.derefInto());
        entry.release();
        call(EngineGlobal.Attach, [realm]);
        current = "";
      },
      step: () => call(EngineGlobal.Run),
      current(): string {
        try {
          return call(EngineGlobal.Current, [], 100) || current;
        } catch {
          // The isolate may be unusable after a timeout; the verdict still names the budget.
          return current;
        }
      },
    };
    await driveIsolate(host, {
      realms: request.knobs.nodeIds,
      limits,
      elapsedMs: elapsed,
      guard: () => {
        if (process.memoryUsage.rss() > rssGuardBytes) {
          throw new RunStopped(memoryBudgetMessage(limits, `the grading process passed ${rssGuardBytes / 1024 ** 3} GiB resident`), "memory");
        }
      },
    });
    const data = JSON.parse(call(EngineGlobal.Result)) as EngineResult<RunData>;
    return finishedOutcome(request, data, elapsed(), isolate.getHeapStatisticsSync().used_heap_size);
  } catch (error) {
    return stoppedOutcome(error, limits, elapsed(), current);
  } finally {
    for (const ctx of contexts.values()) ctx.release();
    if (!isolate.isDisposed) isolate.dispose();
  }
}
