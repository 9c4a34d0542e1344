/** The outcome of a request-level system run: its recorder's figures and hash, the loop's events, a budget stop. */
import type { RequestLoop } from "../sim/requests/engine.ts";
import type { Recorder } from "../sim/requests/recorder.ts";
import type { SystemOutcome } from "./types.ts";

export function requestOutcome(loop: RequestLoop, recorder: Recorder, endMs: number, figures: Record<string, number>, series: Record<string, number[]> = {}): SystemOutcome {
  return {
    figures,
    series,
    recordHash: recorder.recordHash(),
    events: loop.events,
    simulatedMs: endMs,
    ...(loop.stopped ? { fatal: loop.stopped } : {}),
  };
}
