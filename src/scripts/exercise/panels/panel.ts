// What the results panel asks of a harness: its runs' headline figures, the words of the summary table,
// and what a seed's detail shows. One module per harness in this folder, listed in index.ts; a harness
// with none gets the figures panel (figures.ts), which shows any run's figures and series.
import type { TestResult } from "../../../../graders/index.ts";
import type { FailingRun, GradeOutcome } from "../../../grader/types.ts";

export interface PanelContext {
  slug: string;
  /** The exercise's harness (graders/harness/<name>/), which picks its panel (index.ts panelOf). */
  harness: string;
  /** Task id → title, from the exercise. */
  taskTitles: Map<string, string>;
  /** The next exercise in course order, for the pass banner. */
  next?: { href: string; title: string };
  goTo(line: number, column: number): void;
  /**
   * Grades this one run again (same seed and scenario) for its messages; the outcome comes back to the
   * panel, which adds the run's diagram where the button was (undefined: another grade is running).
   */
  replay(test: TestResult): Promise<GradeOutcome | undefined>;
}

/** One seed's detail as a panel draws it, under the message, the knobs and the replay command. */
export interface SeedDetail {
  ctx: PanelContext;
  test: TestResult;
  /** Every seed of the test's scenario. */
  scenarioRuns: TestResult[];
  /** The run's messages and logs, when the panel has them (the grade's first failure, or one run again). */
  failing: FailingRun | undefined;
  /** How the run log names the learner's file and jumps to a line. */
  logOptions: { file: string; goTo(line: number, column: number): void };
  /** Called with the run's messages when the panel ran this seed again to get them. */
  onReplayed(run: FailingRun): void;
}

export interface HarnessPanel {
  /** The figures that say how one scenario went, as short "label value" phrases. */
  scenarioFigures(runs: TestResult[]): string[];
  /** The summary table's caption and the heading of its figures column. */
  readonly summary: { caption: string; figuresHeading: string };
  /**
   * Whether its runs cover virtual time worth a figure in the run line: a component's requests are not on
   * a message timeline and a drill is not simulated at all, so their "simulated ms" is a meaningless zero.
   */
  readonly simulatesTime: boolean;
  /** What a seed's detail shows of its run. */
  seedDetail(detail: SeedDetail): Node[];
}

/** Which run a result is: its scenario and seed. */
export const runKey = (test: Pick<TestResult, "scenarioIndex" | "seed">) => `${test.scenarioIndex}:${test.seed}`;

/** Figures are the median seed's, whichever harness (each panel's scenarioFigures picks it so). */
export const figuresSummary = { caption: "Each figure is the median seed's.", figuresHeading: "Figures" } as const;
