/**
 * What every learner-realm bootstrap does in the isolated-vm sandbox, where each realm is its own
 * globalThis: put the runtime's timers, clock and console in place of the realm's, and leave two
 * functions for the host, which takes them before any learner code runs:
 *   entry(…)       the runtime's entry (the engine calls it, with strings and numbers only)
 *   load(js)       locks the realm down (frozen intrinsics, virtual Date and Math.random, no host
 *                  globals), then compiles and runs the solution's top level and keeps its exports;
 *                  returns "" or the words of what went wrong (a SyntaxError, what the top level threw)
 */
import { lockdownRealm } from "./lockdown/index.ts";
import { describeError } from "./describe.ts";
import { RealmGlobal, loadFailure } from "../protocol/host.ts";
import { solutionBody } from "./solution-body.ts";

// Taken before anything can replace it.
const RealmFunction = Function;

export interface LearnerRuntime {
  entry: (...args: never[]) => unknown;
  globals: object;
  now(): number;
  random(): number;
  setExports(exports: unknown): void;
}

export function exposeRealm(runtime: LearnerRuntime): void {
  const g = globalThis as Record<string, unknown>;
  Object.assign(g, runtime.globals);
  const keepGlobals = Object.keys(runtime.globals);
  g[RealmGlobal.Entry] = runtime.entry;
  g[RealmGlobal.Load] = (solutionJs: string): string => {
    lockdownRealm({ now: runtime.now, random: runtime.random }, { keepGlobals });
    let factory: () => unknown;
    try {
      factory = new RealmFunction(solutionBody(String(solutionJs))) as () => unknown;
    } catch (error) {
      return `${loadFailure.compile}${describeError(error)}`;
    }
    try {
      runtime.setExports(factory());
      return "";
    } catch (error) {
      return `${loadFailure.threw}${describeError(error)}`;
    }
  };
}
