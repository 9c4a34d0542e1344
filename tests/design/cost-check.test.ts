// The cost check judges the dollars of what the design priced: over the budget fails with the largest lines
// first, and a run that priced nothing (a design that did not load) says there is nothing to judge instead of
// printing an empty list.
import { describe, expect, it } from "vitest";
import { designChecks } from "../../graders/design/checks.ts";
import type { DesignRunData } from "../../graders/harness/design/run.ts";

const runWithCost = (cost: Record<string, number>) => ({ design: { cost } }) as unknown as DesignRunData;

describe("design cost check", () => {
  it("passes within the budget and fails over it, naming the lines, largest first", () => {
    const cost = { total: 1500, "api instances": 1000, "db storage": 500 };
    expect(designChecks.cost!(runWithCost(cost), { maxUsdPerMonth: 2000 }).ok).toBe(true);
    const over = designChecks.cost!(runWithCost(cost), { maxUsdPerMonth: 1000 });
    expect(over.ok).toBe(false);
    expect(over.message).toMatch(/over the budget of \$1,000 \(api instances \$1,000, db storage \$500\)/);
  });

  it("a run that priced nothing: no cost to judge, not an empty list", () => {
    const none = designChecks.cost!(runWithCost({}), { maxUsdPerMonth: 1000 });
    expect(none.ok).toBe(false);
    expect(none.message).toBe("there is no cost to judge: no component of the design was priced (a design that did not load has none)");
  });

  it("a cost that is not finite names the lines it has", () => {
    const bad = designChecks.cost!(runWithCost({ total: Infinity, "api instances": 1000 }), {});
    expect(bad.ok).toBe(false);
    expect(bad.message).toBe("the design's cost is not a finite number (api instances $1,000)");
  });
});
