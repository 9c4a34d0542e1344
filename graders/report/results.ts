/**
 * The results contract (Exercism's results.json, extended). Rendered by the CLI and the web panel.
 *
 * Version 2 (was 1):
 * - every test carries `failures`: each check that failed or could not judge the run, not only the first
 *   (`message` and `check` still lead with the first of them);
 * - a test may be `"skipped"`: after a run spent the wall-time or memory budget, the runs after it are not
 *   started, and each says so in its `message`;
 * - a check that throws gives its test an `error` verdict naming the check, instead of stopping the grade;
 * - `message` (of a test, a failure, the results) is at most MESSAGE_MAX_CHARS (report/verdicts.ts) long;
 * - `metrics.runs` counts the runs started, skipped ones not included.
 */
import { capMessage } from "./verdicts.ts";

/** How a grade ended. */
export type Status = "pass" | "fail" | "error";

/** How one run ended: a skipped run was never started (see `Results` above). */
export type TestStatus = Status | "skipped";

export const RESULTS_VERSION = 2;

/** One check that did not pass a run. */
export interface CheckFailure {
  check: string;
  /** "fail": the check judged the run and it failed; "error": the check could not judge it (it threw). */
  status: "fail" | "error";
  /** What the check saw (for "error": what went wrong, naming the check). */
  message: string;
}

export interface TestResult {
  /** "<task> > <scenario>" */
  name: string;
  taskId: string;
  scenario: string;
  /** 1-based index over all scenarios of the exercise, for `--scenario K`. */
  scenarioIndex: number;
  seed: number;
  status: TestStatus;
  /** The first failing check and what it saw; for a pass, a summary of the figures; for a skip, why. */
  message: string;
  /** The first check that failed, when one did. */
  check?: string;
  /** Every check that failed or could not judge, in the task's order; empty when none did or none ran. */
  failures: CheckFailure[];
  /** The knobs the seed expanded into, one line each. */
  knobs: string[];
  metrics: Record<string, number>;
  /**
   * Series of numbers the run measured, for charts (a component system's requests per server, admitted
   * per second…): only where the harness has some, capped by capSeries.
   */
  series?: Record<string, number[]>;
  /** For a failing run: the first lines the nodes wrote with `node.log`, as "n1 at 120 ms: text". */
  logs?: string[];
  /** Empty for a skipped run: it has no history. */
  historyHash: string;
  replay: string;
}

export interface Results {
  version: typeof RESULTS_VERSION;
  status: Status;
  exercise: string;
  message?: string;
  tests: TestResult[];
  metrics: {
    /** Runs started (skipped ones not counted). */
    runs: number;
    events: number;
    simulatedMs: number;
    wallMs: number;
    msgsPerOp: number;
    /** Client latency in ms over every successful operation of every run (0 where a harness has none). */
    latency: { p50: number; p99: number; max: number };
  };
  /** One hash over every run's history, in order: same engine, solution and seeds ⇒ same hash. */
  historyHash: string;
  /** Replays the first failure (or the whole grade when everything passed). */
  replay: string;
}

/** A whole results object for a grade that ran nothing: it could not start, or the grader failed. */
export function errorResults(slug: string, message: string, replay: string): Results {
  return {
    version: RESULTS_VERSION,
    status: "error",
    exercise: slug,
    message: capMessage(message),
    tests: [],
    metrics: { runs: 0, events: 0, simulatedMs: 0, wallMs: 0, msgsPerOp: 0, latency: { p50: 0, p99: 0, max: 0 } },
    historyHash: "",
    replay,
  };
}

/** At most this many series per test, each of at most SERIES_MAX_LENGTH values, SERIES_MAX_VALUES in all. */
export const SERIES_MAX_COUNT = 16;
export const SERIES_MAX_LENGTH = 600;
export const SERIES_MAX_VALUES = 4000;

/**
 * A harness's series as a test keeps them: finite numbers only, in name order, and within the caps. A
 * series too long (or one that would pass the total) is left out whole rather than cut, since a cut
 * series would chart a wrong shape. Undefined when nothing is left.
 */
export function capSeries(series: Readonly<Record<string, readonly number[]>> | undefined): Record<string, number[]> | undefined {
  if (!series) return undefined;
  const out: Record<string, number[]> = {};
  let count = 0;
  let values = 0;
  for (const name of Object.keys(series).sort()) {
    const list = series[name];
    if (!Array.isArray(list) || list.length === 0 || list.length > SERIES_MAX_LENGTH) continue;
    if (count >= SERIES_MAX_COUNT || values + list.length > SERIES_MAX_VALUES) continue;
    if (!list.every((v) => typeof v === "number" && Number.isFinite(v))) continue;
    out[name] = [...list];
    count++;
    values += list.length;
  }
  return count ? out : undefined;
}
