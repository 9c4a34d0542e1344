/**
 * The course on disk, for the authoring commands (`new`, `validate`): a project root holds exercises/<slug>/
 * and content/<NN-part>/<NN-lesson>.mdx. The root is the nearest folder, from the working folder up, that has
 * both; a fork of clusterlab with its own exercises is such a root, and so is a copy of its layout.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ExerciseDef } from "../../../graders/index.ts";
import { UsageError } from "../command.ts";

export interface Project {
  root: string;
  exercisesDir: string;
  contentDir: string;
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The project at `--root`, or the nearest one from `cwd` up. */
export function findProject(cwd: string, root?: string): Project {
  const project = (dir: string): Project => ({ root: dir, exercisesDir: join(dir, "exercises"), contentDir: join(dir, "content") });
  if (root !== undefined) {
    const dir = resolve(cwd, root);
    if (!isDir(join(dir, "exercises")) || !isDir(join(dir, "content"))) throw new UsageError(`--root ${root} has no exercises/ and content/ folders`);
    return project(dir);
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (isDir(join(dir, "exercises")) && isDir(join(dir, "content"))) return project(dir);
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(`no clusterlab project here: run it in a folder (or below one) with exercises/ and content/, or pass --root`);
}

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function exerciseSlugs(project: Project): string[] {
  if (!isDir(project.exercisesDir)) return [];
  return readdirSync(project.exercisesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(project.exercisesDir, d.name, "exercise.ts")))
    .map((d) => d.name)
    .sort();
}

/** Imports exercises/<slug>/exercise.ts: its default export, or an error naming what is wrong with it. */
export async function importExercise(project: Project, slug: string): Promise<ExerciseDef> {
  const file = join(project.exercisesDir, slug, "exercise.ts");
  const module = (await import(pathToFileURL(file).href)) as { default?: ExerciseDef };
  if (!module.default || typeof module.default !== "object") throw new Error(`exercises/${slug}/exercise.ts has no default export (export default defineExercise({…}))`);
  return module.default;
}

export interface Lesson {
  /** "01-foundations/01-what-is-a-distributed-system" */
  path: string;
  file: string;
  /** Slugs in its frontmatter's `exercises: [...]`. */
  listed: string[];
  /** Slugs it embeds with <Exercise slug="…" />. */
  embedded: string[];
}

/** A lesson's frontmatter list and embeds, as tests/content.test.ts reads them. */
export function readLesson(project: Project, path: string): Lesson | undefined {
  const file = join(project.contentDir, `${path}.mdx`);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const list = /^exercises:\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? "";
  return {
    path,
    file,
    listed: list.split(",").map((s) => s.trim().replace(/^["']|["']$/g, "")).filter(Boolean),
    embedded: [...text.matchAll(/<Exercise\s+slug="([^"]+)"/g)].map((m) => m[1]!),
  };
}

const PART_DIR = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LESSON_FILE = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.mdx$/;

/** The part folders in order ("01-foundations", …). */
export function partDirs(project: Project): string[] {
  if (!isDir(project.contentDir)) return [];
  return readdirSync(project.contentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && PART_DIR.test(d.name))
    .map((d) => d.name)
    .sort();
}

/** The next lesson number in a part folder: one more than its highest. */
export function nextLessonNumber(project: Project, part: string): number {
  const dir = join(project.contentDir, part);
  if (!isDir(dir)) return 1;
  const numbers = readdirSync(dir).map((f) => LESSON_FILE.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number);
  return Math.max(0, ...numbers) + 1;
}

export { PART_DIR, LESSON_FILE };
