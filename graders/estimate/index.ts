/** The estimation drills' engine (isomorphic: no `node:` imports): drills, their checks, the engine of a run. */
export { drills, getDrill } from "./drills/index.ts";
export { drillChecks, drillCheckSpecs } from "./checks.ts";
export { EstimateEngine } from "./engine.ts";
export { drawAssumptions } from "./draw.ts";
export { runModel } from "./model.ts";
export { judgeEstimate, creditSummary, estimateFigures } from "./judge.ts";
export { estimateScenario, estimateTask } from "./scenario.ts";
export { drillInstructions } from "./instructions.ts";
export type { Drill, EstimateOutcome, EstimateRunData } from "./types.ts";
