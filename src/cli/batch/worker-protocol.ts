/** What a batch and its workers (grade-worker.ts) say to each other, over the worker's IPC channel. */
import type { Results } from "../../../graders/index.ts";

export type ToWorker = { type: "grade"; id: number; source: string; path: string; seeds: number[]; scenario?: number | string } | { type: "close" };

export type FromWorker = { type: "results"; id: number; results: Results };

/** The worker's third argument when its sandbox process compiles on the main thread (ProcessSandboxOptions.mainThreadCompile); "" otherwise. */
export const mainThreadCompileArg = "main-thread-compile";

/** The first words of the line a worker writes to stderr before it exits on an error of its own. */
export const workerFailedMarker = "clusterlab grading worker:";
