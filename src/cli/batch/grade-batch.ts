/** `clusterlab grade <exercise> <dir-or-files…>`: a batch, from flags to the rendered summary and exit code. */
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { exerciseSeeds, type Results } from "../../../graders/index.ts";
import type { SandboxKind } from "../../../graders/sandbox/node/index.ts";
import { EXIT, UsageError, type CliIo } from "../command.ts";
import type { ParsedArgs } from "../args.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../exercises.ts";
import { scenarioFromFlags, seedsFromFlags } from "../grade-file.ts";
import { defaultCacheDir, noCache, openCache } from "./cache.ts";
import type { Format } from "./formats.ts";
import { gradeMany } from "./grade-many.ts";
import { renderBatch } from "./render-batch.ts";
import { findSubmissions } from "./submissions.ts";

export interface BatchCommand {
  slug: string;
  inputs: string[];
  flags: ParsedArgs["flags"];
  format: Format;
  io: CliIo;
}

export async function gradeBatch({ slug, inputs, flags, format, io }: BatchCommand): Promise<number> {
  const exercise = await loadExercise(slug);
  if (!exercise) throw new UsageError(`no exercise "${slug}" (known: ${listExerciseSlugs().join(", ")})`);
  const submissions = findSubmissions(inputs, io.cwd);
  const scenario = scenarioFromFlags(flags);
  if (scenario !== undefined) {
    const all = exercise.tasks.flatMap((t) => t.scenarios);
    const known = typeof scenario === "number" ? scenario >= 1 && scenario <= all.length : all.some((s) => s.name === scenario);
    if (!known) throw new UsageError(`no scenario "${scenario}" in ${slug} (there are ${all.length}: ${all.map((s, i) => `${i + 1} ${s.name}`).join(", ")})`);
  }
  const seeds = seedsFromFlags(exercise, flags) ?? exerciseSeeds(exercise);
  const jobs = (flags.jobs as number | undefined) ?? cpus().length;
  const cache = flags["no-cache"] === true ? noCache : openCache(flags.cache === undefined ? defaultCacheDir(io.cwd) : resolve(io.cwd, String(flags.cache)));
  const progress = io.isTty && format === "text";
  const started = performance.now();
  const graded = await gradeMany({
    exercise,
    exerciseFile: join(exercisesDir, slug, "exercise.ts"),
    submissions,
    jobs,
    seeds,
    scenario,
    sandbox: (flags.sandbox as SandboxKind | undefined) ?? "isolated-vm",
    typecheck: flags["no-typecheck"] !== true,
    cache,
    onDone: progress ? (done, total) => io.stderr(done < total ? `\r\x1b[K${done}/${total} submissions graded` : "\r\x1b[K") : undefined,
  });
  const wallMs = Math.round(performance.now() - started);
  io.stdout(renderBatch({ exercise, graded, format, jobs: Math.min(jobs, submissions.length), wallMs, color: io.color }));
  return worstExit(graded.map((g) => g.results));
}

/** A batch's exit code: its worst submission's (an error over a failure over a pass). */
function worstExit(all: readonly Results[]): number {
  if (all.some((r) => r.status === "error")) return EXIT.error;
  if (all.some((r) => r.status === "fail")) return EXIT.failed;
  return EXIT.ok;
}
