/** The one public surface of the grading engine (isomorphic: no `node:` imports reachable from here). */
export { defineExercise } from "./exercise.ts";
export type { ExerciseDef, TaskDef, CheckSpec } from "./exercise.ts";
export { grade, replayCommand, describeKnobs } from "./grade.ts";
export type { GradeOptions } from "./grade.ts";
export { expandKnobs } from "./sim/knobs.ts";
export type { ScenarioSpec, Knobs, FaultSpec, FaultEvent, NetworkSpec, WorkloadSpec } from "./sim/scenario.ts";
export type { HistoryOp, TraceEntry } from "./sim/history.ts";
export type { Sandbox, RunOutcome, RunRequest, SandboxLimits } from "./sandbox/types.ts";
export type { Results, TestResult, Status } from "./report/results.ts";
export { renderText } from "./report/text.ts";
export { hashText } from "./report/hash.ts";
export { workloads, getWorkload } from "./workloads/index.ts";
export type { Body, Message, Node } from "./runtime/node-api.ts";
export * from "./checkers/index.ts";
export { completedOps, type PairedOp } from "./checkers/history-ops.ts";
export { genericChecks, runFigures, percentile } from "./checkers/stats.ts";
export { formatMs } from "./report/format.ts";
