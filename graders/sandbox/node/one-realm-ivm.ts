/**
 * The browser's one-realm sandbox, run from Node (`clusterlab grade --sandbox browser`): a fresh isolate
 * per run with ONE realm, holding the engine and every node as the grading Worker does, locked down by
 * the same code. Tests run the hostile corpus through it, so both sandboxes' verdicts are held equal.
 * isolated-vm gives it the wall-time and memory budgets the page gives the Worker by killing it.
 */
import ivm from "isolated-vm";
import { bundleScript } from "./bundles.ts";
import { defaultSandboxLimits, type BudgetKind, type RunOutcome, type RunRequest, type Sandbox } from "../types.ts";
import type { EngineResult, RunData } from "../../contract.ts";
import { finishedOutcome } from "../run-data.ts";
import { RunStopped, stoppedOutcome } from "../verdicts.ts";
import { driveIsolate, topLevelOf, wallClock } from "./isolate-run.ts";
import { OneRealmGlobal, stoppedPrefix } from "../../protocol/host.ts";

const entryPath = new URL("../scope/realm-entry.ts", import.meta.url).pathname;
let bundle: Promise<string> | undefined;

export function createOneRealmIvmSandbox(): Sandbox {
  return { run: runInOneRealm };
}

async function runInOneRealm(request: RunRequest): Promise<RunOutcome> {
  const limits = { ...defaultSandboxLimits, ...request.limits };
  const code = await (bundle ??= bundleScript(entryPath));
  let current = "";
  const { elapsed, remaining } = wallClock(limits, () => current);
  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  try {
    const ctx = isolate.createContextSync();
    isolate.compileScriptSync(code, { filename: "clusterlab-one-realm.js" }).runSync(ctx, { timeout: remaining() });
    const fns = new Map<string, ivm.Reference>();
    for (const name of Object.values(OneRealmGlobal)) {
      fns.set(name, ctx.global.getSync(name, { reference: true }));
      ctx.global.deleteSync(name);
    }
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
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}
