import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ExerciseDef } from "../../graders/index.ts";

/** Where exercises live: `exercises/` of the clusterlab package. */
export const exercisesDir = resolve(new URL("../../exercises/", import.meta.url).pathname);

export function listExerciseSlugs(): string[] {
  return readdirSync(exercisesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(exercisesDir, d.name, "exercise.ts")))
    .map((d) => d.name)
    .sort();
}

export async function loadExercise(slug: string): Promise<ExerciseDef | undefined> {
  if (!/^[a-z0-9-]+$/.test(slug)) return undefined;
  const file = join(exercisesDir, slug, "exercise.ts");
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as { default: ExerciseDef };
  return module.default;
}
