// The estimation drill's panel: the learner's figures beside the model's (estimate-figures.ts), then the
// run log. A drill is not simulated: no virtual time in the run line.
import { estimateFigures, estimateHeadline } from "../estimate-figures.ts";
import { renderRunLog } from "../message-diagram.ts";
import { figuresSummary, type HarnessPanel } from "./panel.ts";

export const estimatePanel: HarnessPanel = {
  scenarioFigures: (runs) => estimateHeadline(runs.map((t) => t.metrics)),
  summary: figuresSummary,
  simulatesTime: false,
  seedDetail({ test, failing, logOptions }) {
    const log = failing ? renderRunLog(failing, logOptions) : undefined;
    return log ? [estimateFigures(test), log] : [estimateFigures(test)];
  },
};
