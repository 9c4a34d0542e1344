// The design panel: the design drawn from the run, per phase, over time, its cost and the reference's
// figures (design-panel.ts), then the run log.
import { designHeadline } from "../design-figures.ts";
import { designFigures } from "../design-panel.ts";
import { renderRunLog } from "../message-diagram.ts";
import { figuresSummary, type HarnessPanel } from "./panel.ts";

export const designPanel: HarnessPanel = {
  scenarioFigures: (runs) => designHeadline(runs.map((t) => t.metrics)),
  summary: figuresSummary,
  simulatesTime: true,
  seedDetail({ test, failing, logOptions }) {
    const log = failing ? renderRunLog(failing, logOptions) : undefined;
    return log ? [designFigures(test), log] : [designFigures(test)];
  },
};
