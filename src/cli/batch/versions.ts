/**
 * What a cached result depends on besides the solution: the engine (the package's version, and a hash of the
 * grader's sources, so a working copy that edits the engine never reads results an older engine wrote) and the
 * exercise (its definition as loaded, scenarios and checks included, and its file).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExerciseDef } from "../../../graders/index.ts";

const packageRoot = new URL("../../../", import.meta.url).pathname;

let engine: string | undefined;

/** "<package version>+<hash of graders/**>", computed once per process. */
export function engineVersion(): string {
  if (engine) return engine;
  const hash = createHash("sha256");
  for (const file of sourceFiles(join(packageRoot, "graders"))) {
    hash.update(file.slice(packageRoot.length)).update("\0").update(readFileSync(file)).update("\0");
  }
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
  engine = `${version}+${hash.digest("hex").slice(0, 16)}`;
  return engine;
}

/** A hash of the exercise as the grader sees it: its definition (JSON: functions have none) and its file. */
export function exerciseVersion(exercise: ExerciseDef, exerciseFile?: string): string {
  const hash = createHash("sha256").update(JSON.stringify(exercise));
  if (exerciseFile) {
    try {
      hash.update(readFileSync(exerciseFile));
    } catch {
      // An exercise defined elsewhere (tests) is versioned by its definition alone.
    }
  }
  return hash.digest("hex").slice(0, 16);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mjs|js|json)$/.test(entry.name)) out.push(path);
  }
  return out;
}
