/**
 * What a scenario gets when it does not say: one place, so the simulator, the clients and the messages
 * that quote these times agree.
 */
import type { ScenarioSpec, WorkloadSpec } from "./scenario.ts";

/** The liveness phase: a second of quiet after the faults heal is enough for gossip every 100–500 ms to converge. */
export const settleMsDefault = 1000;
/** How long a client waits for a reply before recording the operation as indeterminate (Maelstrom's default is 1 s too). */
export const clientTimeoutMsDefault = 1000;

/**
 * The errors one run keeps for its report: a node that throws on every message would otherwise fill
 * memory and the report with one error a thousand times; a hundred shows every distinct kind a run had.
 */
export const runErrorsMax = 100;

export const settleMsOf = (scenario: Pick<ScenarioSpec, "settleMs">): number => scenario.settleMs ?? settleMsDefault;
export const clientTimeoutMs = (spec: Pick<WorkloadSpec, "timeoutMs">): number => spec.timeoutMs ?? clientTimeoutMsDefault;
