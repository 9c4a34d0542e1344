/** The results contract (Exercism's results.json, extended). Rendered by the CLI and the web panel. */
export type Status = "pass" | "fail" | "error";

export interface TestResult {
  /** "<task> > <scenario>" */
  name: string;
  taskId: string;
  scenario: string;
  /** 1-based index over all scenarios of the exercise, for `--scenario K`. */
  scenarioIndex: number;
  seed: number;
  status: Status;
  /** The failing check and what it saw; for a pass, a summary of the figures. */
  message: string;
  /** The check that failed, when one did. */
  check?: string;
  /** The knobs the seed expanded into, one line each. */
  knobs: string[];
  metrics: Record<string, number>;
  /** For a failing run: the first lines the nodes wrote with `node.log`, as "n1 at 120 ms: text". */
  logs?: string[];
  historyHash: string;
  replay: string;
}

export interface Results {
  version: 1;
  status: Status;
  exercise: string;
  message?: string;
  tests: TestResult[];
  metrics: {
    runs: number;
    events: number;
    simulatedMs: number;
    wallMs: number;
    msgsPerOp: number;
    latency: { p50: number; p99: number; max: number };
  };
  /** One hash over every run's history, in order: same engine, solution and seeds ⇒ same hash. */
  historyHash: string;
  /** Replays the first failure (or the whole grade when everything passed). */
  replay: string;
}
