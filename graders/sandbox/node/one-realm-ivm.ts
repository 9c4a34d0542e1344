/**
 * The browser's one-realm sandbox, run from Node (`clusterlab grade --sandbox browser`): a fresh isolate
 * per run with ONE realm, holding the engine and every node as the grading Worker does, locked down by
 * the same code. Tests run the hostile corpus through it, so both sandboxes' verdicts are held equal.
 * isolated-vm gives it the wall-time and memory budgets the page gives the Worker by killing it. With
 * realm reuse (realm-reuse.ts) consecutive runs of one solution keep the isolate and its realm, as the
 * Worker keeps its realm for every run.
 */
import type ivm from "isolated-vm";
import { loadIvm } from "./ivm.ts";
import { bundleScript } from "./bundles.ts";
import { defaultSandboxLimits, type BudgetKind, type RunOutcome, type RunRequest, type SandboxLimits } from "../types.ts";
import type { EngineResult, RunData } from "../../contract.ts";
import { finishedOutcome } from "../run-data.ts";
import { RunStopped, stoppedOutcome } from "../verdicts.ts";
import { driveIsolate, topLevelOf, wallClock } from "./isolate-run.ts";
import { OneRealmGlobal, stoppedPrefix } from "../../protocol/host.ts";
import { keepsIsolate, realmReuseDefault, reuseKey, type ReuseStats, type ReusingSandbox, type SandboxOptions } from "./realm-reuse.ts";

const entryPath = new URL("../scope/realm-entry.ts", import.meta.url).pathname;
let bundle: Promise<string> | undefined;

/** The one realm's script (built, or read from disk, once per process) and the addon: a sandbox process loads both before its first request. */
export function prepareOneRealmIvmSandbox(): Promise<unknown> {
  return Promise.all([oneRealmBundle(), loadIvm()]);
}

function oneRealmBundle(): Promise<string> {
  return (bundle ??= bundleScript(entryPath));
}

/** An isolate with the one realm's script run and its functions taken, kept between runs while reuse allows. */
interface Warm {
  key: string;
  isolate: ivm.Isolate;
  fns: Map<string, ivm.Reference>;
}

export function createOneRealmIvmSandbox(options: SandboxOptions = {}): ReusingSandbox {
  const reuse = options.reuseRealms ?? realmReuseDefault;
  let warm: Warm | undefined;
  const stats: ReuseStats = { isolates: 0, realms: 0, boots: 0 };
  const discard = (w: Warm | undefined): void => {
    if (w && !w.isolate.isDisposed) w.isolate.dispose();
  };
  return {
    async run(request) {
      const limits = { ...defaultSandboxLimits, ...request.limits };
      const key = reuseKey(request, limits);
      let w = warm;
      warm = undefined;
      if (w && (!reuse || w.key !== key || w.isolate.isDisposed)) {
        discard(w);
        w = undefined;
      }
      let used: Warm | undefined;
      const outcome = await runInOneRealm(request, limits, key, w, stats, (made) => (used = made));
      // (A run that overlapped this one may have kept its isolate already: one is kept, never two.)
      if (reuse && used && !warm && keepsIsolate(outcome, used.isolate, limits)) warm = used;
      else discard(used);
      return outcome;
    },
    stats: () => ({ ...stats }),
    dispose() {
      discard(warm);
      warm = undefined;
    },
  };
}

/**
 * One run in the one realm. A kept isolate's realm is the same locked realm the browser's Worker keeps
 * for all its runs: create() makes the run's engine and compiles the solution anew, and each boot
 * evaluates the module afresh in a scope of the node's own (scope/one-realm.ts).
 */
async function runInOneRealm(request: RunRequest, limits: SandboxLimits, key: string, reused: Warm | undefined, stats: ReuseStats, use: (w: Warm) => void): Promise<RunOutcome> {
  const [code, { Isolate }] = await Promise.all([oneRealmBundle(), loadIvm()]);
  let current = "";
  const { elapsed, remaining } = wallClock(limits, () => current);
  let w = reused;
  try {
    if (!w) {
      const isolate = new Isolate({ memoryLimit: limits.memoryMb });
      stats.isolates++;
      w = { key, isolate, fns: new Map() };
      use(w);
      const ctx = isolate.createContextSync();
      isolate.compileScriptSync(code, { filename: "clusterlab-one-realm.js" }).runSync(ctx, { timeout: remaining() });
      for (const name of Object.values(OneRealmGlobal)) {
        w.fns.set(name, ctx.global.getSync(name, { reference: true }));
        ctx.global.deleteSync(name);
      }
    } else use(w);
    const { fns, isolate } = w;
    const call = (name: string, args: Array<string | number> = [], timeout = remaining()): string => fns.get(name)!.applySync(undefined, args, { timeout }) as string;
    const checked = (answer: string): void => {
      if (!answer.startsWith(stoppedPrefix)) return;
      const rest = answer.slice(stoppedPrefix.length);
      const colon = rest.indexOf(":");
      const budget = rest.slice(0, colon);
      throw new RunStopped(rest.slice(colon + 1), (budget || undefined) as BudgetKind | undefined);
    };
    checked(call(OneRealmGlobal.Create, [JSON.stringify(request.scenario), JSON.stringify(request.knobs), request.solutionJs, request.harness ?? "node"]));
    const host = {
      boot: (realm: string) => {
        current = realm;
        stats.boots++;
        // Booting a realm runs the solution's top level.
        checked(topLevelOf(limits, realm, () => call(OneRealmGlobal.Boot, [realm])));
        current = "";
      },
      step: () => call(OneRealmGlobal.Step),
      current: () => {
        try {
          return call(OneRealmGlobal.Current, [], 100) || current;
        } catch {
          return current;
        }
      },
    };
    await driveIsolate(host, { realms: request.knobs.nodeIds, limits, elapsedMs: elapsed });
    const data = JSON.parse(call(OneRealmGlobal.Result)) as EngineResult<RunData>;
    return finishedOutcome(request, data, elapsed(), isolate.getHeapStatisticsSync().used_heap_size);
  } catch (error) {
    return stoppedOutcome(error, limits, elapsed(), current);
  }
}
