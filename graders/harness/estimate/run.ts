/** The estimate harness's kind of run (see contract.ts HarnessRuns): the assumptions drawn and the reply. */
import type { RunBase } from "../../contract.ts";
import type { ReplyField } from "../../protocol/estimate-calls.ts";

/** An estimation drill's run: the assumptions drawn and the learner's reply (estimate/). */
export interface EstimateRunData extends RunBase<"estimate"> {
  estimate: EstimateOutcome;
}

/** What one estimation run recorded, inside the sandbox: the assumptions drawn and the learner's reply. */
export interface EstimateOutcome {
  drill: string;
  assumptions: Record<string, number>;
  /** The answer's fields in the order the learner's object had them, or undefined when there was none. */
  reply?: ReplyField[];
  /** Why there is no reply: the function threw, is missing, returned a non-object… */
  fault?: string;
}

declare module "../../contract.ts" {
  interface HarnessRuns {
    estimate: EstimateRunData;
  }
}
