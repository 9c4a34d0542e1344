/**
 * A batch worker: a process forked by workers.ts that grades one submission at a time, whole, as
 * `clusterlab grade` grades a file: transpile, the runs in a sandbox process of its own (its child), and the
 * judging of every run (checks, verdicts, figures). The batch's process only reads files, type-checks and
 * hands out work, so with N workers the judging is spread over N processes instead of queueing on one.
 * Arguments: the exercise's file (the worker loads its own copy: checks are functions, which cannot be
 * sent), the sandbox kind, and mainThreadCompileArg or "" (worker-protocol.ts).
 *
 * A process rather than a thread: when it exits, what it started (the sandbox process, esbuild's service)
 * is reaped by the system; a thread's children would stay zombies of the batch's process until it ends.
 */
import { pathToFileURL } from "node:url";
import type { ExerciseDef } from "../../../graders/index.ts";
import type { SandboxKind } from "../../../graders/sandbox/node/index.ts";
import { mainThreadCompileArg, workerFailedMarker, type FromWorker, type ToWorker } from "./worker-protocol.ts";

if (!process.send) {
  process.stderr.write("grade-worker.ts runs as a child of a batch (it needs an IPC channel)\n");
  process.exit(2);
}
const [exerciseFile, kind, compile] = process.argv.slice(2) as [string, SandboxKind, string | undefined];
// An error outside any one grade (the exercise's file does not load): said on one line, for the batch's results.
const fail = (error: unknown) => {
  process.stderr.write(`${workerFailedMarker} ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`, () => process.exit(1));
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
// No orphans: when the batch goes, so does its worker (and with it the sandbox process, which watches its parent).
process.on("disconnect", () => process.exit(0));

// The sandbox process starts first (it builds its bundles) while this one loads the engine and the exercise.
const { createProcessSandbox } = await import("../../../graders/sandbox/node/index.ts");
const sandbox = createProcessSandbox({ kind, mainThreadCompile: compile === mainThreadCompileArg });
sandbox.warm();
const loading = Promise.all([import("./grade-one.ts"), import(pathToFileURL(exerciseFile).href).then((m: { default: ExerciseDef }) => m.default)]);

const send = (message: FromWorker) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
let queue: Promise<unknown> = Promise.resolve();
process.on("message", (message: ToWorker) => {
  if (message.type === "close") {
    sandbox.dispose();
    process.exit(0);
  }
  queue = queue.then(async () => {
    const [{ gradeOne }, exercise] = await loading;
    const results = await gradeOne(exercise, message.source, message.path, sandbox, message.seeds, message.scenario);
    await send({ type: "results", id: message.id, results });
  });
});
