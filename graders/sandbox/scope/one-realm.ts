/**
 * The one-realm sandbox's work inside its realm: the simulator and every node run in the current realm,
 * each node's code in a scope of its own (node-scope.ts). The browser's grading Worker hosts it
 * (index.ts), and the CLI's `--sandbox browser` hosts it in an isolate (node/one-realm-ivm.ts), so the
 * same hostile corpus runs against it in tests.
 *
 * The realm must be locked down once, before the first run: lockdownOneRealm() hooks promise
 * continuations, then freezes every intrinsic, removes the host's globals and makes Date and Math.random
 * read the running node's clock. Nothing a node does can then reach another node, the engine, or a later
 * grade in the same realm.
 */
import { getHarness, harnessFor, type Engine } from "../../harness/index.ts";
import { describeError } from "../../runtime/describe.ts";
import { lockdownRealm } from "../../runtime/lockdown/index.ts";
import type { EngineResult, RunData } from "../../contract.ts";
import type { RunRequest } from "../types.ts";
import { RunStopped, doesNotCompileMessage, topLevelThrewMessage } from "../verdicts.ts";
import type { RunHost } from "../host-loop.ts";
import { activeClock, enterAs, hearUnattributedContinuations, installContinuationHook, runAs, type ActiveRealm } from "./continuations.ts";
import { compileSolution, learnerScope } from "./node-scope.ts";

let lockedDown = false;

/** Locks this realm down for the one-realm sandbox; once per realm, before any learner code. */
export function lockdownOneRealm(): void {
  if (lockedDown) return;
  installContinuationHook();
  lockdownRealm(activeClock);
  lockedDown = true;
}

export interface RealmRun extends RunHost {
  /** The run's plain data (the engines keep only JSON-shaped values, and no learner code holds it). */
  result(): EngineResult<RunData>;
  readonly engine: Engine;
}

/** One run's engine and learner realms in this realm. */
export function createRealmRun(request: Pick<RunRequest, "scenario" | "knobs" | "solutionJs" | "harness">): RealmRun {
  if (!lockedDown) throw new Error("the one-realm sandbox runs only in a locked-down realm: call lockdownOneRealm() first");
  let evaluate: ReturnType<typeof compileSolution>;
  try {
    evaluate = compileSolution(request.solutionJs);
  } catch (error) {
    throw new RunStopped(doesNotCompileMessage(describeError(error)));
  }
  const harness = getHarness(request.harness);
  const engine = harnessFor(request.scenario).createEngine(request.scenario, request.knobs);
  hearUnattributedContinuations(null);
  return {
    engine,
    boot(realmId) {
      const runtime = harness.createRuntime();
      if (runtime.continuationRan) hearUnattributedContinuations(runtime.continuationRan);
      // A runtime without markAsync (a component's: its methods are synchronous) marks no continuation.
      const realm: ActiveRealm = { markAsync: runtime.markAsync ?? (() => {}), continuationRan: runtime.continuationRan, now: runtime.now, random: runtime.random };
      try {
        // Each evaluation gets a scope of its own (its queueMicrotask wrapper is no memory two copies share).
        runtime.setExports(evaluate(realm, learnerScope(runtime.globals)), () => evaluate(realm, learnerScope(runtime.globals)));
      } catch (error) {
        throw new RunStopped(topLevelThrewMessage(realmId, describeError(error)));
      }
      const entry = runtime.entry as (...args: unknown[]) => unknown;
      engine.attach(realmId, enterAs(realm, entry));
    },
    step: () => engine.run(),
    current: () => engine.current,
    result: () => engine.resultData(),
  };
}
