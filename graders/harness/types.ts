/**
 * What a harness is: everything the engine, the sandboxes and the grader need to know about one kind of
 * exercise (node: the learner writes every node; component: the learner writes an object a simulated system
 * calls). Adding a harness is adding a folder, graders/harness/<name>/, and one line in the registry
 * (index.ts): its index.ts implements this interface; run.ts declares its kind of run and adds it to the
 * contract's HarnessRuns; realm/entry.ts boots its learner realm (found by that path: sandbox/node/bundles.ts)
 * and the rest of its realm code goes in realm/; api.ts holds its learner-facing types (gathered by that
 * path for the type check and the editor; clusterlab-module.d.ts adds it to the repository's own
 * "clusterlab"); an engine of its own goes in engine/, figures.ts labels its
 * figures. tests/boundaries.test.ts puts each in its layer, tests/harness-registry.test.ts keeps code
 * outside the folder from branching on its name, and tests/toy-harness.test.ts adds one to a copy of
 * graders/ this way. The site's results panel may give it a panel of its own (src/scripts/exercise/panels/);
 * without one, its runs' figures are shown. The four harnesses here keep their engines in folders of their
 * own (sim/ + workloads/, components/, design/, estimate/).
 */
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { CheckFn, EngineResult, RunData } from "../contract.ts";
import type { FigureLabel } from "../report/figure-lines.ts";

export type { HarnessName } from "../contract.ts";

/** The engine side of the host protocol (protocol/host.ts): what a sandbox drives, whatever the harness. */
export interface Engine {
  /** Gives a learner realm's entry function to the engine (a node's, or the component's as "n1"). */
  attach(realm: string, entry: (...args: never[]) => unknown): void;
  /** Runs until it must hand control back: a signal of protocol/host.ts. */
  run(): string;
  /** Asked now and then whether to stop; run() then says "interrupted" (engines that loop long support it). */
  interrupt?: (() => boolean) | undefined;
  /** Whose code runs now, for a verdict when the host stops the run. */
  readonly current: string;
  /** The run's plain data as JSON (for a host in another realm). */
  result(): string;
  /** The same data as plain objects (for a host in the same realm). */
  resultData(): EngineResult<RunData>;
}

/** A learner realm's runtime as the one-realm sandbox needs it (both runtimes implement this). */
export interface LearnerRuntime {
  entry: (...args: never[]) => unknown;
  globals: import("../runtime/realm-globals.ts").RealmGlobals;
  now(): number;
  random(): number;
  /**
   * The module's exports after the boot's evaluation, and `evaluateAgain`, which evaluates the solution's
   * top level once more in the same realm and scope and returns the new exports (fresh module state): a
   * runtime that models several processes running one program (the design's pool instances) calls it once
   * per process. It throws what the top level throws.
   */
  setExports(exports: unknown, evaluateAgain: () => unknown): void;
  /** Present when the realm's code may leave promise continuations the engine must flush. */
  markAsync?(): void;
  /** Present when the engine drains the realm's continuations itself: told before each one runs. */
  continuationRan?(): void;
}

/** What the exercise's reference page says of a system its scenarios name (a workload, a prompt, a drill…). */
export interface SystemDescription {
  /** What kind of system it is, in words: "workload", "design prompt"… */
  kind: string;
  summary: string;
  /** Request → reply, each a message type with its fields (node workloads). */
  messages: Array<{ request: string; reply: string }>;
  /** Other facts of the system as label → text (a prompt's request types, a drill's assumptions…). */
  facts: Array<{ label: string; text: string }>;
}

/** A harness of one kind of run: everything it reads of a run is what that kind carries. */
export interface Harness<R extends RunData = RunData> {
  readonly name: R["harness"];
  /** Whether this harness runs the scenario (its workload is one of this harness's). */
  runs(scenario: ScenarioSpec): boolean;
  /**
   * What is wrong with a scenario this harness runs, as an author would need to hear it (a field another
   * harness's scenarios have, say `nodes` in a component scenario): none for a sound one.
   */
  scenarioProblems(scenario: ScenarioSpec): string[];
  /** The engine of one run. Isomorphic: it runs inside every sandbox's engine realm. */
  createEngine(scenario: ScenarioSpec, knobs: Knobs): Engine;
  /** A learner realm's runtime, for a sandbox that shares one realm. */
  createRuntime(): LearnerRuntime;
  /**
   * The checks the scenario's workload or system provides, by name. Every run is also held to "no-errors"
   * (grade.ts adds it to each task): this or genericChecks must have one, saying what an error is here.
   */
  checks(scenario: ScenarioSpec): Record<string, CheckFn<R>>;
  /** The generic checks (checkers/stats.ts) that have data to judge in this harness's runs. */
  readonly genericChecks: Record<string, CheckFn<R>>;
  /** The system a scenario's workload names (one this harness runs), for the exercise's reference page. */
  describeSystem(workload: string): SystemDescription;
  /** The knobs a seed expanded into, as lines to print beside the seed. */
  describeKnobs(scenario: ScenarioSpec, knobs: Knobs, seed: number): string[];
  /** The text a run's history hash is made from: its observable behaviour, request by request. */
  historyHash(run: R): string;
  /**
   * Whether the learner's code answers clients with the wire protocol's error codes (protocol/errors.ts),
   * which the exercise's page and reference then list.
   */
  readonly wireErrorCodes: boolean;
  /** The figures of this harness's runs worth a line in the CLI's report, labelled in words with units (none: no line). */
  readonly figureLabels: readonly FigureLabel[];
  /** A test's figures: events and simulated time, and this harness's own. */
  figures(run: R, runWallMs: number): Record<string, number>;
  /**
   * What a run adds to the grade's totals: client operations, node-to-node messages, and the latency of
   * each operation that succeeded, in ms (none where the harness has no client operations), so the
   * grade's percentiles are taken over every operation, not averaged from the runs' own.
   */
  totals(run: R): { ops: number; serverMessages: number; okLatenciesMs: ArrayLike<number> };
  /**
   * Optional: a run's series of numbers (per server, per node, per second…) for the report's charts.
   * The grade keeps them capped (report/results.ts capSeries) in the test's `series`.
   */
  series?(run: R): Record<string, number[]>;
}
