/**
 * What `clusterlab validate` checks of one exercise: what tests/graders/exercises-*.test.ts (tests/support/golden.ts) and
 * tests/content.test.ts hold every exercise to, as findings a person can act on.
 *
 * - the definition loads (defineExercise accepts it) and its slug is its folder's name;
 * - its lesson exists, lists it in its frontmatter and embeds it (<Exercise slug="…" />);
 * - the reference (.meta/solution.ts) passes every run on the reference seeds (the exercise's default seeds,
 *   or 20 with --full, as the test suite does);
 * - the starter compiles and fails (seeds 1 and 2);
 * - at least five known-wrong solutions (.meta/wrong/), each starting with `// fails: <check>` and failing
 *   that check on the default seeds; at least two alternatives (.meta/alternatives/), each passing every run
 *   on the default seeds.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exerciseSeeds, type ExerciseDef, type Results } from "../../../graders/index.ts";
import type { ResultCache } from "./cache.ts";
import { gradeMany } from "./grade-many.ts";
import { importExercise, readLesson, type Project } from "./project.ts";

export const WRONG_MIN = 5;
export const ALTERNATIVES_MIN = 2;
/** The test suite grades the reference on this many seeds. */
export const FULL_REFERENCE_SEEDS = 20;
const STARTER_SEEDS = [1, 2];

export interface Finding {
  ok: boolean;
  /** What holds, or what should and does not, in a line. */
  what: string;
  /** Why not: the failing runs, with their messages. */
  detail?: string[];
}

export interface ExerciseReport {
  slug: string;
  ok: boolean;
  findings: Finding[];
}

export interface ValidateOptions {
  /** Seeds for the reference; default: the exercise's own count. */
  referenceSeeds?: number;
  jobs: number;
  cache?: ResultCache;
}

/** The solution files of one of an exercise's .meta folders (wrong/, alternatives/), sorted. */
export const solutionsIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort() : []);

/** The first runs that did not pass, as lines. */
function notPassing(results: Results, max = 3): string[] {
  if (results.tests.length === 0) return [results.message ?? "nothing was graded"];
  const bad = results.tests.filter((t) => t.status !== "pass");
  const lines = bad.slice(0, max).map((t) => `${t.name} seed ${t.seed}: ${t.status === "skipped" ? t.message : firstLine(t.message)}`);
  if (bad.length > max) lines.push(`(${bad.length - max} more runs did not pass)`);
  return lines;
}

const firstLine = (text: string) => {
  const line = text.split("\n", 1)[0]!;
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
};

export async function validateExercise(project: Project, slug: string, options: ValidateOptions): Promise<ExerciseReport> {
  const findings: Finding[] = [];
  const report = (): ExerciseReport => ({ slug, ok: findings.every((f) => f.ok), findings });
  const dir = join(project.exercisesDir, slug);
  let exercise: ExerciseDef;
  try {
    exercise = await importExercise(project, slug);
  } catch (error) {
    findings.push({ ok: false, what: "exercise.ts loads", detail: [(error as Error).message ?? String(error)] });
    return report();
  }
  findings.push({ ok: exercise.slug === slug, what: exercise.slug === slug ? "exercise.ts loads, its slug is its folder's name" : `exercise.ts says slug "${exercise.slug}", but its folder is exercises/${slug}` });

  const lesson = readLesson(project, exercise.lesson);
  if (!lesson) findings.push({ ok: false, what: `its lesson content/${exercise.lesson}.mdx exists` });
  else {
    const embeds = lesson.embedded.includes(slug);
    const lists = lesson.listed.includes(slug);
    findings.push({
      ok: embeds && lists,
      what: embeds && lists ? `lesson ${exercise.lesson} embeds it and lists it` : `lesson ${exercise.lesson} should ${[!embeds && `embed it (<Exercise slug="${slug}" />)`, !lists && `list it in its frontmatter (exercises: [${slug}])`].filter(Boolean).join(" and ")}`,
    });
  }

  const wrong = solutionsIn(join(dir, ".meta", "wrong"));
  const alternatives = solutionsIn(join(dir, ".meta", "alternatives"));
  findings.push({ ok: wrong.length >= WRONG_MIN, what: `${wrong.length} known-wrong solutions in .meta/wrong/ (at least ${WRONG_MIN})` });
  findings.push({ ok: alternatives.length >= ALTERNATIVES_MIN, what: `${alternatives.length} correct alternatives in .meta/alternatives/ (at least ${ALTERNATIVES_MIN})` });

  const defaults = exerciseSeeds(exercise);
  const referenceSeeds = exerciseSeeds(exercise, options.referenceSeeds ?? defaults.length);
  type Role = { kind: "reference" | "starter" | "wrong" | "alternative"; name: string; named?: string };
  const items: Array<{ path: string; label: string; seeds: number[]; role: Role }> = [];
  const add = (path: string, label: string, seeds: number[], role: Role) => {
    if (existsSync(path)) items.push({ path, label, seeds, role });
    else findings.push({ ok: false, what: `${label} exists` });
  };
  add(join(dir, ".meta", "solution.ts"), ".meta/solution.ts", referenceSeeds, { kind: "reference", name: "reference" });
  add(join(dir, "starter.ts"), "starter.ts", STARTER_SEEDS, { kind: "starter", name: "starter" });
  for (const name of wrong) {
    const path = join(dir, ".meta", "wrong", name);
    const named = /^\/\/ fails: ([a-z0-9-]+)/.exec(readFileSync(path, "utf8"))?.[1];
    if (!named) findings.push({ ok: false, what: `wrong/${name} starts with "// fails: <check>"` });
    else add(path, `.meta/wrong/${name}`, defaults, { kind: "wrong", name, named });
  }
  for (const name of alternatives) add(join(dir, ".meta", "alternatives", name), `.meta/alternatives/${name}`, defaults, { kind: "alternative", name });

  const graded = await gradeMany({
    exercise,
    exerciseFile: join(dir, "exercise.ts"),
    submissions: items.map((i) => ({ path: i.path, label: `exercises/${slug}/${i.label}`, seeds: i.seeds })),
    jobs: options.jobs,
    typecheck: false,
    cache: options.cache,
  });
  graded.forEach(({ results }, i) => {
    const { role, seeds } = items[i]!;
    const runs = `${results.tests.length} runs on ${seeds.length} seeds`;
    if (role.kind === "reference" || role.kind === "alternative") {
      const ok = results.status === "pass" && results.tests.every((t) => t.status === "pass");
      const who = role.kind === "reference" ? "the reference" : `alternatives/${role.name}`;
      findings.push(ok ? { ok, what: `${who} passes every check (${runs})` } : { ok, what: `${who} should pass every check (${runs})`, detail: notPassing(results) });
    } else if (role.kind === "starter") {
      const ok = results.status === "fail";
      findings.push(ok ? { ok, what: `the starter compiles and fails (${[...new Set(results.tests.flatMap((t) => t.failures.map((f) => f.check)))].join(", ")})` } : { ok, what: results.status === "pass" ? "the starter should fail, and passes" : "the starter should compile and fail", detail: results.status === "pass" ? undefined : notPassing(results) });
    } else {
      const failed = [...new Set(results.tests.flatMap((t) => (t.status === "fail" ? t.failures.map((f) => f.check) : [])))];
      const ok = results.status === "fail" && failed.includes(role.named!);
      const why = results.status === "pass" ? "it passes" : results.status === "error" ? "it errors" : `it fails ${failed.join(", ")} instead`;
      findings.push(ok ? { ok, what: `wrong/${role.name} fails ${role.named} (${runs})` } : { ok, what: `wrong/${role.name} should fail ${role.named} on the default seeds: ${why}`, detail: results.status === "pass" ? undefined : notPassing(results, 2) });
    }
  });
  return report();
}
