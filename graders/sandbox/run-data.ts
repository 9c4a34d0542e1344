import type { EngineResult, RunData } from "../contract.ts";
import type { RunOutcome, RunRequest } from "./types.ts";

/**
 * The outcome of a run whose engine finished, the same in every sandbox: the error a fatal run ended in, or
 * its data as the checkers see it, the engine's result with the harness, scenario and knobs of the request.
 */
export function finishedOutcome(request: RunRequest, data: EngineResult<RunData>, wallMs: number, heapUsedBytes?: number): RunOutcome {
  if (data.fatal) return { kind: "error", message: data.fatal, wallMs };
  // The engine was the request's harness's own (harness.createEngine), so the tag is true of its data;
  // grade.ts checks it again before a harness judges the run.
  const run = { ...data, harness: request.harness ?? "node", scenario: request.scenario, knobs: request.knobs } as RunData;
  return heapUsedBytes === undefined ? { kind: "data", data: run, wallMs } : { kind: "data", data: run, wallMs, heapUsedBytes };
}

/**
 * The data outcome finishedOutcome makes of a run that finished, as JSON text, made from the engine's data
 * as JSON without reading it: JSON.parse of it is JSON.parse(JSON.stringify(finishedOutcome(…))). A sandbox
 * process sends it on so (a node run's data is ~70 KB: parsing it and writing it again took ~1 ms a run).
 */
export function finishedOutcomeText(request: RunRequest, dataJson: string, wallMs: number, heapUsedBytes?: number): string {
  const tagged = `"harness":${JSON.stringify(request.harness ?? "node")},"scenario":${JSON.stringify(request.scenario)},"knobs":${JSON.stringify(request.knobs)}}`;
  const data = dataJson === "{}" ? `{${tagged}` : `${dataJson.slice(0, -1)},${tagged}`;
  return `{"kind":"data","data":${data},"wallMs":${JSON.stringify(wallMs)}${heapUsedBytes === undefined ? "" : `,"heapUsedBytes":${JSON.stringify(heapUsedBytes)}`}}`;
}
