import { cpus } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { defaultCacheDir, noCache, openCache } from "../batch/cache.ts";
import { exerciseSlugs, findProject } from "../batch/project.ts";
import { ALTERNATIVES_MIN, FULL_REFERENCE_SEEDS, validateExercise, WRONG_MIN, type ExerciseReport } from "../batch/validate-exercise.ts";

const usage = `usage: clusterlab validate [slug…] [--full | --reference-seeds N] [--jobs N] [--cache DIR | --no-cache] [--json] [--root DIR]

Checks exercises as the test suite does (every exercise when no slug is given):
  - exercise.ts loads and its slug is its folder's name
  - the lesson it names exists, lists it in its frontmatter and embeds it (<Exercise slug="…" />)
  - the reference (.meta/solution.ts) passes every check on every reference seed
  - the starter compiles and fails
  - at least ${WRONG_MIN} known-wrong solutions (.meta/wrong/), each failing the check its first line names
    (// fails: <check>) on the exercise's default seeds
  - at least ${ALTERNATIVES_MIN} correct alternatives (.meta/alternatives/), each passing on the default seeds

  --full               grade the reference on ${FULL_REFERENCE_SEEDS} seeds, as the test suite does
  --reference-seeds N  grade the reference on seeds 1…N (default: the exercise's own count)
  --jobs N             solutions graded at a time, each in a sandbox process of its own (default: the cores)
  --cache DIR          reuse results of unchanged files (default: node_modules/.cache/clusterlab)
  --no-cache           grade everything again
  --json               print {"ok", "exercises": [{"slug", "ok", "findings": [{"ok", "what", "detail"?}]}]}
  --root DIR           the project (a folder with exercises/ and content/; default: the nearest from here up)

exit codes: 0 every check holds · 1 a check does not hold · 64 usage error`;

export const validateCommand: Command = {
  name: "validate",
  usage,
  async run(argv, io) {
    const { positionals, flags } = parseArgs(argv, { full: "boolean", "reference-seeds": "integer", jobs: "integer", cache: "string", "no-cache": "boolean", json: "boolean", root: "string" });
    if (flags.full === true && flags["reference-seeds"] !== undefined) throw new UsageError("--full is --reference-seeds 20: give one of them");
    if (flags["reference-seeds"] !== undefined && (flags["reference-seeds"] as number) < 1) throw new UsageError("--reference-seeds must be at least 1");
    if (flags.jobs !== undefined && (flags.jobs as number) < 1) throw new UsageError(`--jobs must be at least 1, got ${String(flags.jobs)}`);
    if (flags.cache !== undefined && flags["no-cache"] === true) throw new UsageError("--cache and --no-cache contradict each other");
    const project = findProject(io.cwd, flags.root as string | undefined);
    const known = exerciseSlugs(project);
    const slugs = positionals.length ? positionals : known;
    const unknown = slugs.filter((s) => !known.includes(s));
    if (unknown.length) throw new UsageError(`no exercise ${unknown.map((s) => `"${s}"`).join(", ")} in ${project.exercisesDir} (known: ${known.join(", ") || "none"})`);
    if (slugs.length === 0) throw new UsageError(`no exercises in ${project.exercisesDir}`);
    const cache = flags["no-cache"] === true ? noCache : openCache(flags.cache === undefined ? defaultCacheDir(project.root) : resolve(io.cwd, String(flags.cache)));
    const referenceSeeds = flags.full === true ? FULL_REFERENCE_SEEDS : (flags["reference-seeds"] as number | undefined);
    const jobs = (flags.jobs as number | undefined) ?? cpus().length;
    const reports: ExerciseReport[] = [];
    for (const slug of slugs) {
      if (io.isTty && flags.json !== true) io.stderr(`\r\x1b[Kvalidating ${slug}…`);
      const report = await validateExercise(project, slug, { referenceSeeds, jobs, cache });
      reports.push(report);
      if (io.isTty && flags.json !== true) io.stderr("\r\x1b[K");
      if (flags.json !== true) io.stdout(renderReport(report, io.color));
    }
    const ok = reports.every((r) => r.ok);
    if (flags.json === true) io.stdout(`${JSON.stringify({ ok, exercises: reports }, null, 2)}\n`);
    else {
      const bad = reports.filter((r) => !r.ok);
      io.stdout(`validated ${reports.length} ${reports.length === 1 ? "exercise" : "exercises"}: ${reports.length - bad.length} ok${bad.length ? `, ${bad.length} with problems (${bad.map((r) => r.slug).join(", ")})` : ""}\n`);
    }
    return ok ? EXIT.ok : EXIT.failed;
  },
};

function renderReport(report: ExerciseReport, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const problems = report.findings.filter((f) => !f.ok).length;
  const lines = [`${report.slug}: ${report.ok ? paint("32", "OK") : paint("31", `${problems} ${problems === 1 ? "problem" : "problems"}`)}`];
  for (const f of report.findings) {
    lines.push(`  ${f.ok ? paint("32", "✓") : paint("31", "✗")} ${f.what}`);
    for (const d of f.detail ?? []) lines.push(`      ${d}`);
  }
  return `${lines.join("\n")}\n\n`;
}
