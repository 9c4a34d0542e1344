// The results panel's registry: each harness's panel, one line each. A harness not listed gets the figures
// panel, which draws any run's figures and series, so a new harness's results show without a line here.
import { designPanel } from "./design.ts";
import { estimatePanel } from "./estimate.ts";
import { figuresPanel } from "./figures.ts";
import { nodePanel } from "./node.ts";
import type { HarnessPanel } from "./panel.ts";

const panels: Readonly<Record<string, HarnessPanel>> = {
  node: nodePanel,
  component: figuresPanel,
  design: designPanel,
  estimate: estimatePanel,
};

export function panelOf(harness: string): HarnessPanel {
  return Object.hasOwn(panels, harness) ? panels[harness]! : figuresPanel;
}

export type { HarnessPanel, PanelContext, SeedDetail } from "./panel.ts";
export { runKey } from "./panel.ts";
