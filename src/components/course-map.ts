/**
 * The exercises in course order, read at build time: an exercise's place is that of the lesson that
 * teaches it (its `lesson` field), and among the exercises of one lesson, the order the lesson embeds
 * them. The exercises page, the home page and each exercise's "next exercise" link read this one list,
 * so they can never disagree about what comes next.
 */
import { getCollection } from "astro:content";
import type { ExerciseDef, HarnessName } from "../../graders/index.ts";
import { resolve } from "node:path";
import { parseLessonPath, readCourseOutline } from "../../scripts/course.mjs";
import { sitePath } from "./site-path.ts";

const definitions = import.meta.glob<ExerciseDef>("../../exercises/*/exercise.ts", { eager: true, import: "default" });

export type Difficulty = "intro" | "medium" | "hard";

export interface CourseExercise {
  slug: string;
  title: string;
  /** Which harness grades it (the workbench draws a node run's messages, a component run's figures). */
  harness: HarnessName;
  /** 1-based position in the course. */
  number: number;
  tasks: number;
  difficulty: Difficulty;
  lessonId: string;
  lessonTitle: string;
  partLabel: string;
  /** The exercise inside its lesson. */
  href: string;
}

/**
 * A rough difficulty, judged by hand from what each exercise asks for (a guide for choosing what to try
 * next, not a score). An exercise missing here gets one from its task count.
 */
const DIFFICULTY: Record<string, Difficulty> = {
  echo: "intro",
  "unique-ids": "intro",
  "lru-cache": "intro",
  "g-counter": "medium",
  broadcast: "medium",
  "load-balancer": "medium",
  "consistent-hashing": "medium",
  "rate-limiter": "medium",
  "circuit-breaker": "medium",
  "cache-patterns": "medium",
  "quorum-kv": "hard",
  "replicated-kv": "hard",
  "txn-kv": "hard",
  "reliable-queue": "hard",
  saga: "hard",
  "session-guarantees": "hard",
};

const byTaskCount = (tasks: number): Difficulty => (tasks <= 2 ? "intro" : tasks <= 3 ? "medium" : "hard");

/** Where a lesson embeds `slug`; an exercise the lesson does not embed sorts after those it does. */
function positionIn(body: string | undefined, slug: string): number {
  const at = body?.indexOf(`<Exercise slug="${slug}"`) ?? -1;
  return at < 0 ? Number.MAX_SAFE_INTEGER : at;
}

let cached: Promise<CourseExercise[]> | undefined;

export function courseExercises(): Promise<CourseExercise[]> {
  return (cached ??= (async () => {
    const lessons = new Map((await getCollection("docs")).map((entry) => [entry.id, entry]));
    // The build runs in the project's root (scripts/build-site.mjs), where content/ is.
    const parts = new Map<number, string>(readCourseOutline(resolve("content")).map((p: { number: number; label: string }) => [p.number, p.label]));
    const list = Object.values(definitions).map((def) => {
      const path = parseLessonPath(`${def.lesson}.mdx`);
      const lesson = lessons.get(path.id);
      return {
        def,
        sortKey: [path.partNumber, path.lessonNumber, positionIn(lesson?.body, def.slug)] as const,
        lessonId: path.id,
        lessonTitle: lesson?.data.title ?? path.id,
        partLabel: parts.get(path.partNumber) ?? `Part ${path.partNumber}`,
      };
    });
    list.sort((a, b) => a.sortKey[0] - b.sortKey[0] || a.sortKey[1] - b.sortKey[1] || a.sortKey[2] - b.sortKey[2] || a.def.slug.localeCompare(b.def.slug));
    return list.map(({ def, lessonId, lessonTitle, partLabel }, i) => ({
      slug: def.slug,
      title: def.title,
      harness: def.harness,
      number: i + 1,
      tasks: def.tasks.length,
      difficulty: DIFFICULTY[def.slug] ?? byTaskCount(def.tasks.length),
      lessonId,
      lessonTitle,
      partLabel,
      href: sitePath(`/${lessonId}/#exercise-${def.slug}`),
    }));
  })());
}

/** The exercise after `slug` in course order, if there is one. */
export async function nextExercise(slug: string): Promise<CourseExercise | undefined> {
  const all = await courseExercises();
  const i = all.findIndex((e) => e.slug === slug);
  return i >= 0 ? all[i + 1] : undefined;
}

export async function courseExercise(slug: string): Promise<CourseExercise | undefined> {
  return (await courseExercises()).find((e) => e.slug === slug);
}
