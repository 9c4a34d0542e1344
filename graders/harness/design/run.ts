/** The design harness's kind of run (see contract.ts HarnessRuns): what the design engine measured. */
import type { RunBase } from "../../contract.ts";

/** A design run: what the design engine measured of the learner's architecture (design/). */
export interface DesignRunData extends RunBase<"design"> {
  design: DesignOutcome;
}

/**
 * What a design run measured (harness "design", graders/design/): plain data made inside the sandbox. Its
 * figures are per request type and per phase ("resolve.during.p99Ms"), per component ("util.db"), the
 * prompt's correctness counts, RPO, RTO and cost; `findings` holds the design's problems and the first
 * example of each violation, in words.
 */
export interface DesignOutcome {
  figures: Record<string, number>;
  /** Per-second series over the run (numbers only), for charts: e.g. "ok.resolve", "all.resolve". */
  series: Record<string, number[]>;
  findings: Record<string, string>;
  /** Dollars per month by line of the price table. */
  cost: Record<string, number>;
  recordHash: string;
  events: number;
  simulatedMs: number;
  fatal?: string;
}

declare module "../../contract.ts" {
  interface HarnessRuns {
    design: DesignRunData;
  }
}
