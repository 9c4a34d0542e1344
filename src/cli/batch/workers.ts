/**
 * The batch's side of its workers (grade-worker.ts): each a process that grades whole submissions with a
 * sandbox process of its own. A worker that dies (a bug in the engine, or the engine running out of memory
 * judging a huge run: the learner's code runs in the sandbox process) costs the submission it was grading an
 * error result, and the next submission gets a fresh worker.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { errorResults, gradeCommand, type Results } from "../../../graders/index.ts";
import type { SandboxKind } from "../../../graders/sandbox/node/index.ts";
import { SOLUTION_PLACEHOLDER } from "./cache.ts";
import { mainThreadCompileArg, workerFailedMarker, type FromWorker, type ToWorker } from "./worker-protocol.ts";

export interface GradeJob {
  slug: string;
  source: string;
  path: string;
  seeds: number[];
  scenario?: number | string;
}

export interface GradeWorker {
  /** Grades one submission (under the placeholder label, as grade-one.ts does); one at a time. Never rejects. */
  grade(job: GradeJob): Promise<Results>;
  /** Stops the worker and its sandbox process. */
  close(): Promise<void>;
  /** The current worker process, if one is running: for tests. */
  pid(): number | undefined;
}

const entry = fileURLToPath(new URL("./grade-worker.ts", import.meta.url));
/** How long a closing worker may take to stop its sandbox process before it is killed. */
const closeGraceMs = 2000;
/** Enough of a dead worker's stderr to say why it died. */
const stderrTailChars = 2048;

/** Starts a worker now, so that it loads the engine, and its sandbox process builds its bundles, while the batch reads and type-checks. */
export function startGradeWorker(exerciseFile: string, kind: SandboxKind, sandbox: { mainThreadCompile?: boolean } = {}): GradeWorker {
  let current: { child: ChildProcess; gone: Promise<string> } | undefined;
  let nextId = 1;
  const start = () => {
    // No execArgv of the batch's own (a test runner's loader, an inspector); the compile cache comes by NODE_COMPILE_CACHE.
    const child = fork(entry, [exerciseFile, kind, sandbox.mainThreadCompile ? mainThreadCompileArg : ""], { execArgv: [], stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced" });
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-stderrTailChars)));
    const gone = new Promise<string>((resolve) => {
      child.on("error", (error) => resolve(`the grading worker could not start: ${error.message}`));
      child.on("close", (code, signal) => {
        const own = stderr.split("\n").find((line) => line.startsWith(workerFailedMarker))?.slice(workerFailedMarker.length).trim();
        const last = own ?? stderr.trim().split("\n").at(-1)?.trim();
        resolve(`the grading worker stopped (${signal ? `killed by ${signal}` : `exit code ${code}`})${last ? `: ${last}` : ""}`);
      });
    });
    const started = { child, gone };
    void gone.then(() => {
      if (current === started) current = undefined;
    });
    return started;
  };
  current = start();
  return {
    async grade(job) {
      const { child, gone } = (current ??= start());
      const id = nextId++;
      const answer = new Promise<Results>((resolve) => {
        const onMessage = (message: FromWorker) => {
          if (message.type !== "results" || message.id !== id) return;
          child.off("message", onMessage);
          resolve(message.results);
        };
        child.on("message", onMessage);
      });
      const message: ToWorker = { type: "grade", id, source: job.source, path: job.path, seeds: job.seeds, scenario: job.scenario };
      // A failed send means the worker is gone: "close" follows and answers for it.
      child.send(message, () => undefined);
      return Promise.race([answer, gone.then((why) => errorResults(job.slug, why, gradeCommand(job.slug, SOLUTION_PLACEHOLDER)))]);
    },
    pid: () => current?.child.pid,
    async close() {
      const closing = current;
      current = undefined;
      if (!closing) return;
      closing.child.send({ type: "close" } satisfies ToWorker, () => undefined);
      const timer = setTimeout(() => closing.child.kill("SIGKILL"), closeGraceMs);
      await closing.gone;
      clearTimeout(timer);
    },
  };
}
