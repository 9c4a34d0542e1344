/**
 * The exercises as the site shows them, read at build time (server side): instructions, tasks, hints and
 * the starter code. The grading Worker gets the definitions themselves from its own bundle.
 */
import { exerciseSeeds, type ExerciseDef } from "../../graders/index.ts";

const definitions = import.meta.glob<ExerciseDef>("../../exercises/*/exercise.ts", { eager: true, import: "default" });
const starters = import.meta.glob<string>("../../exercises/*/starter.ts", { eager: true, query: "?raw", import: "default" });

export interface ExerciseInfo {
  slug: string;
  title: string;
  /** The lesson's content path, e.g. "05-messaging/01-message-queues". */
  lesson: string;
  /** Markdown. */
  instructions: string;
  hints: string[];
  tasks: Array<{ id: string; title: string; description: string }>;
  starter: string;
  /** Seeds a full grade (Submit) runs per scenario. */
  seeds: number;
}

function slugOf(path: string): string {
  return path.split("/").at(-2)!;
}

const bySlug = new Map<string, ExerciseInfo>(
  Object.entries(definitions).map(([path, def]) => {
    const starter = starters[path.replace(/exercise\.ts$/, "starter.ts")];
    if (starter === undefined) throw new Error(`exercises/${slugOf(path)} has no starter.ts`);
    const info: ExerciseInfo = {
      slug: def.slug,
      title: def.title,
      lesson: def.lesson,
      instructions: def.instructions,
      hints: def.hints,
      tasks: def.tasks.map(({ id, title, description }) => ({ id, title, description })),
      starter,
      seeds: exerciseSeeds(def).length,
    };
    return [def.slug, info];
  }),
);

export function listExercises(): ExerciseInfo[] {
  return [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

export function getExerciseInfo(slug: string): ExerciseInfo {
  const info = bySlug.get(slug);
  if (!info) throw new Error(`no exercise "${slug}" (there are: ${[...bySlug.keys()].sort().join(", ")})`);
  return info;
}
