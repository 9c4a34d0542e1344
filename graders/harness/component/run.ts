/** The component harness's kind of run (see contract.ts HarnessRuns): what the simulated system measured. */
import type { RunBase } from "../../contract.ts";

/** A component run: what the simulated system measured of the learner's object (components/). */
export interface ComponentRunData extends RunBase<"component"> {
  components: SystemOutcome;
}

/** Plain data a component system returns: figures for the checks and the report, and the run's record hash. */
export interface SystemOutcome {
  figures: Record<string, number>;
  /** Per-server or per-step series a check explains itself with (numbers only). */
  series: Record<string, number[]>;
  recordHash: string;
  events: number;
  simulatedMs: number;
  /** Set when the run could not finish (a budget): becomes an error verdict. */
  fatal?: string;
}

declare module "../../contract.ts" {
  interface HarnessRuns {
    component: ComponentRunData;
  }
}
