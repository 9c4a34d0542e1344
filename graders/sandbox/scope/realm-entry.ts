/**
 * The one-realm sandbox as a script for a realm the host made (the CLI's `--sandbox browser` runs it in
 * an isolate: sandbox/node/one-realm-ivm.ts). It leaves five functions for the host, which takes them
 * (and deletes them) before any learner code runs; create() locks the realm down, as the Worker is.
 * Only strings cross: the result comes back as JSON.
 */
import { OneRealmGlobal, stoppedPrefix } from "../../protocol/host.ts";
import type { Knobs, ScenarioSpec } from "../../sim/scenario.ts";
import type { RunRequest } from "../types.ts";
import { RunStopped } from "../verdicts.ts";
import { createRealmRun, lockdownOneRealm, type RealmRun } from "./one-realm.ts";

const g = globalThis as Record<string, unknown>;
const { stringify, parse } = JSON;
let run: RealmRun | undefined;

function answer(fn: () => string | void): string {
  try {
    return fn() ?? "";
  } catch (error) {
    if (error instanceof RunStopped) return `${stoppedPrefix}${error.budget ?? ""}:${error.message}`;
    throw error;
  }
}

g[OneRealmGlobal.Create] = (scenarioJson: string, knobsJson: string, solutionJs: string, harness: string): string =>
  answer(() => {
    lockdownOneRealm();
    run = createRealmRun({ scenario: parse(scenarioJson) as ScenarioSpec, knobs: parse(knobsJson) as Knobs, solutionJs, harness: harness as RunRequest["harness"] });
  });
g[OneRealmGlobal.Boot] = (realm: string): string => answer(() => run!.boot(realm));
g[OneRealmGlobal.Step] = (): string => run!.step();
g[OneRealmGlobal.Current] = (): string => run?.current() ?? "";
g[OneRealmGlobal.Result] = (): string => stringify(run!.result());
