/**
 * The Node sandbox: the simulator in a realm of its own, each node in its own realm. Only strings and
 * numbers cross a boundary; the learner's code never sees an isolated-vm handle.
 *
 * Each learner realm runs its runtime bundle first; the host then takes the realm's entry and loader
 * (and deletes them) before any learner code runs, so learner code can neither read nor replace them.
 * The loader locks the realm down and only then compiles and runs the solution's top level.
 *
 * Realm reuse (realm-reuse.ts): consecutive runs of the same solution, harness and memory limit (the runs
 * of one grade) keep the isolate, the engine's realm and each node's realm, so V8's warm-up of the
 * runtime and the lockdown are paid once a grade, not once a run. Every boot still makes the node's
 * runtime and the solution's module state afresh (runtime/realm.ts); a node's realm is never another
 * node's. A run that ends in any error (a budget, a crash, a top level that threw) leaves nothing behind:
 * the isolate is disposed and the next run starts fresh. With reuse off, every run gets a fresh isolate.
 */
import type ivm from "isolated-vm";
import { loadIvm } from "./ivm.ts";
import { compileCached } from "./code-cache.ts";
import { sandboxBundles } from "./bundles.ts";
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox, type SandboxLimits } from "../types.ts";
import type { EngineResult, RunData } from "../../contract.ts";
import { finishedOutcome, finishedOutcomeText } from "../run-data.ts";
import { RunStopped, doesNotCompileMessage, memoryBudgetMessage, stoppedOutcome, topLevelThrewMessage } from "../verdicts.ts";
import { driveIsolate, topLevelOf, wallClock } from "./isolate-run.ts";
import { EngineGlobal, RealmGlobal, fatalResultPrefix, loadFailure } from "../../protocol/host.ts";
import { keepsIsolate, realmReuseDefault, reuseKey, type ReuseStats, type ReusingSandbox, type SandboxOptions } from "./realm-reuse.ts";

/** Process-wide guard: the isolate limit is a guideline, so refuse to go on past this resident size. */
const rssGuardBytes = 3 * 1024 ** 3;

/** A node's realm: its context, and the entry and loader its runtime bundle left (taken before any learner code). */
interface NodeRealm {
  ctx: ivm.Context;
  entry: ivm.Reference;
  load: ivm.Reference;
}

/** An isolate with the engine's realm and the node realms made in it, kept between runs while reuse allows. */
interface Warm {
  key: string;
  isolate: ivm.Isolate;
  sim: ivm.Context;
  refs: Map<string, ivm.Reference>;
  runtimeScript: ivm.Script;
  realms: Map<string, NodeRealm>;
}

/** The bundles a run needs (built, or read from disk, once per process) and the addon: a sandbox process loads both before its first request. */
export function prepareIsolatedVmSandbox(): Promise<unknown> {
  return Promise.all([sandboxBundles(), loadIvm()]);
}

/**
 * A finished run as the isolate left it: its data still the engine's JSON text, which run() reads and
 * runText() passes on unread.
 */
type IsolateOutcome = Exclude<RunOutcome, { kind: "data" }> | { kind: "data"; dataJson: string; wallMs: number; heapUsedBytes: number };

export interface IsolatedVmSandbox extends ReusingSandbox {
  /**
   * The run's outcome as JSON text: what JSON.stringify(await run(request)) would be, without its data read
   * and written again. (Always there; optional so that a table of both sandboxes' makers keeps one type.)
   */
  runText?(request: RunRequest): Promise<string>;
}

export function createIsolatedVmSandbox(options: SandboxOptions = {}): IsolatedVmSandbox {
  const reuse = options.reuseRealms ?? realmReuseDefault;
  let warm: Warm | undefined;
  const stats: ReuseStats = { isolates: 0, realms: 0, boots: 0 };
  const release = (w: Warm): void => {
    for (const realm of w.realms.values()) realm.ctx.release();
    if (!w.isolate.isDisposed) w.isolate.dispose();
  };
  const discard = (): void => {
    if (warm) release(warm);
    warm = undefined;
  };
  const runOnce = async (request: RunRequest): Promise<IsolateOutcome> => {
    const limits = { ...defaultSandboxLimits, ...request.limits };
    const key = reuseKey(request, limits);
    if (warm && (!reuse || warm.key !== key || warm.isolate.isDisposed)) discard();
    const reused = warm;
    warm = undefined;
    let kept: Warm | undefined;
    const outcome = await runInIsolate(request, limits, { key, reused, reuse, stats, keep: (w) => (kept = w) });
    // (A run that overlapped this one may have kept its isolate already: one is kept, never two.)
    if (reuse && kept && !warm && keepsIsolate(outcome, kept.isolate, limits)) warm = kept;
    else if (kept) release(kept);
    return outcome;
  };
  return {
    async run(request) {
      const outcome = await runOnce(request);
      return "dataJson" in outcome ? finishedOutcome(request, JSON.parse(outcome.dataJson) as EngineResult<RunData>, outcome.wallMs, outcome.heapUsedBytes) : outcome;
    },
    async runText(request) {
      const outcome = await runOnce(request);
      return "dataJson" in outcome ? finishedOutcomeText(request, outcome.dataJson, outcome.wallMs, outcome.heapUsedBytes) : JSON.stringify(outcome);
    },
    stats: () => ({ ...stats }),
    dispose: discard,
  };
}

interface RunPlace {
  key: string;
  /** The isolate kept from the last run, if reuse allowed it. */
  reused: Warm | undefined;
  /** Whether a node's realm serves its next boot (a restart, the next run); else every boot gets a new one. */
  reuse: boolean;
  stats: ReuseStats;
  /** Told the isolate this run uses, made or reused, so the caller keeps or disposes of it. */
  keep(w: Warm): void;
}

async function runInIsolate(request: RunRequest, limits: SandboxLimits, place: RunPlace): Promise<IsolateOutcome> {
  const { key, reused, reuse, stats, keep } = place;
  const [{ simJs, realmJs }, ivmModule] = await Promise.all([sandboxBundles(), loadIvm()]);
  let current = "";
  const { elapsed, remaining } = wallClock(limits, () => current);
  const harness = request.harness ?? "node";
  const runtimeJs = Object.hasOwn(realmJs, harness) ? realmJs[harness]! : undefined;
  if (runtimeJs === undefined) throw new Error(`unknown harness "${harness}" (known: ${Object.keys(realmJs).join(", ")})`);
  let w = reused;
  if (!w) {
    const isolate = new ivmModule.Isolate({ memoryLimit: limits.memoryMb });
    stats.isolates++;
    // Compiled once per isolate, run in every learner realm (and again in a restarted node's fresh realm).
    w = { key, isolate, sim: isolate.createContextSync(), refs: new Map(), runtimeScript: compileCached(ivmModule, isolate, runtimeJs, `clusterlab-${harness}-realm.js`), realms: new Map() };
  }
  const warmed: Warm = w;
  keep(warmed);
  const { isolate, sim, refs, realms } = warmed;
  try {
    if (!reused) compileCached(ivmModule, isolate, simJs, "clusterlab-sim.js").runSync(sim, { timeout: remaining() });
    const call = (name: string, args: Array<string | number> = [], timeout = remaining()): string => {
      let ref = refs.get(name);
      if (!ref) refs.set(name, (ref = sim.global.getSync(name, { reference: true })));
      return ref.applySync(undefined, args, { timeout }) as string;
    };
    call(EngineGlobal.Create, [JSON.stringify(request.scenario), JSON.stringify(request.knobs)]);
    // A realm of a node this run does not have would only hold memory the run's own could use.
    for (const [id, realm] of realms) {
      if (!request.knobs.nodeIds.includes(id)) {
        realm.ctx.release();
        realms.delete(id);
      }
    }
    const take = (ctx: ivm.Context, name: string): ivm.Reference => {
      const ref = ctx.global.getSync(name, { reference: true });
      ctx.global.deleteSync(name);
      return ref;
    };
    const makeRealm = (): NodeRealm => {
      const ctx = isolate.createContextSync();
      stats.realms++;
      warmed.runtimeScript.runSync(ctx, { timeout: remaining() });
      // Taken before any learner code exists in this realm.
      return { ctx, entry: take(ctx, RealmGlobal.Entry), load: take(ctx, RealmGlobal.Load) };
    };
    const host = {
      boot(realmId: string): void {
        current = realmId;
        let realm = realms.get(realmId);
        if (realm && !reuse) {
          realm.ctx.release();
          realm = undefined;
        }
        if (!realm) {
          realm = makeRealm();
          realms.set(realmId, realm);
        }
        stats.boots++;
        const { load, entry } = realm;
        const answer = topLevelOf(limits, realmId, () => load.applySync(undefined, [request.solutionJs], { timeout: remaining() }) as string);
        if (answer.startsWith(loadFailure.compile)) throw new RunStopped(doesNotCompileMessage(answer.slice(loadFailure.compile.length)));
        if (answer.startsWith(loadFailure.threw)) throw new RunStopped(topLevelThrewMessage(realmId, answer.slice(loadFailure.threw.length)));
        sim.global.setSync(EngineGlobal.EntrySlot, entry.derefInto());
        call(EngineGlobal.Attach, [realmId]);
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
    const result = call(EngineGlobal.Result);
    if (result.startsWith(fatalResultPrefix)) return { kind: "error", message: result.slice(fatalResultPrefix.length), wallMs: elapsed() };
    return { kind: "data", dataJson: result, wallMs: elapsed(), heapUsedBytes: isolate.getHeapStatisticsSync().used_heap_size };
  } catch (error) {
    return stoppedOutcome(error, limits, elapsed(), current);
  }
}
