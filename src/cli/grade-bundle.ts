/**
 * The single-file grade's modules (grade-file.ts, the engine behind graders/index.ts, the exercise) as one
 * ES module bundle, kept on disk: Node then loads one file instead of some two hundred, each resolved,
 * read, compiled and linked on its own (15–40 ms instead of ~120 here). It is the CPU this process spends while
 * the sandbox process boots beside it, and that boot is what a grade waits for.
 *
 * The bundle is per exercise (the exercise's `import … from "../../graders/index.ts"` must reach the
 * bundle's engine, not load a second one), kept and rebuilt as graders/sandbox/node/kept-module.ts keeps
 * them; the modules the CLI has loaded before it stay their own files (shared). Anything that fails here
 * leaves the grade to the modules as they are (loadGradePath).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { keptModuleBundle, type ModuleBundle } from "../../graders/sandbox/node/index.ts";
import type { ExerciseDef } from "../../graders/index.ts";
import type { gradeSingleFile } from "./grade-file.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Modules the CLI has already loaded when it loads the grade path, imported from their own files rather
 * than copied into the bundle: one instance of each, shared (UsageError, which the command catches by
 * class; the timings), and the Node side of the sandboxes (its caches of bundles and transpiles).
 */
const shared = (path: string): boolean =>
  path === join(root, "src", "cli", "command.ts") || path === join(root, "src", "cli", "phases.ts") || path.startsWith(join(root, "graders", "sandbox", "node") + "/");

export interface GradePath {
  gradeSingleFile: typeof gradeSingleFile;
  /** The exercise, loaded with the bundle (undefined: grade-file loads it). */
  exercise?: ExerciseDef;
}

/** The grade path for `slug`: from its bundle when it can be kept or built, else the modules themselves. */
export async function loadGradePath(slug: string): Promise<GradePath> {
  const exerciseFile = join(root, "exercises", slug, "exercise.ts");
  if (/^[a-z0-9-]+$/.test(slug) && existsSync(exerciseFile)) {
    try {
      const module = (await import(pathToFileURL(await keptBundle(exerciseFile)).href)) as GradePath;
      if (typeof module.gradeSingleFile === "function" && module.exercise) return module;
    } catch {
      // No esbuild, a read-only install, or an exercise that throws as it loads: the modules themselves
      // then load it (and say why, when it is the exercise).
    }
  }
  return { gradeSingleFile: (await import("./grade-file.ts")).gradeSingleFile };
}

/** The grade path of one exercise, as kept-module.ts bundles it. */
function gradePath(exerciseFile: string): ModuleBundle {
  return {
    entry: `export { gradeSingleFile } from ${JSON.stringify(join(root, "src", "cli", "grade-file.ts"))};\nexport { default as exercise } from ${JSON.stringify(exerciseFile)};\n`,
    shared,
  };
}

/** The path of the exercise's bundle, built first when there is none or an input changed. */
export function keptBundle(exerciseFile: string): Promise<string> {
  return keptModuleBundle(gradePath(exerciseFile));
}
