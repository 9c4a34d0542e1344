/** How exercise authors describe an exercise: `exercises/<slug>/exercise.ts` default-exports defineExercise({…}). */
import { getHarness, harnessFor, type HarnessName } from "./harness/index.ts";

// A task and its checks are part of the run contract (graders/contract.ts): authoring helpers below the
// exercise layer (estimate/, components/) build them too.
export type { CheckSpec, TaskDef } from "./contract.ts";
import type { TaskDef } from "./contract.ts";

export interface ExerciseDef {
  slug: string;
  title: string;
  /** The lesson that teaches it: content path without extension, e.g. "01-foundations/01-what-is-a-distributed-system". */
  lesson: string;
  /**
   * "node": the learner writes a node of a cluster; "component": an object the simulated system calls. Each
   * scenario's workload decides which harness runs it (harness/index.ts); this must agree with all of them.
   */
  harness: HarnessName;
  /** What to build, in a paragraph (Markdown). */
  instructions: string;
  tasks: TaskDef[];
  /** Progressive hints, from gentle to nearly the answer. */
  hints: string[];
  /** Seeds a full grade runs per scenario (default 10); Run in the browser uses fewer. */
  seeds?: number;
}

/** Seeds a full grade runs per scenario when the exercise does not say. */
const defaultSeedCount = 10;

/** The seeds 1…count: what a full grade of `exercise` runs per scenario unless told otherwise. */
export function exerciseSeeds(exercise: ExerciseDef, count = exercise.seeds ?? defaultSeedCount): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

export function defineExercise(def: ExerciseDef): ExerciseDef {
  const problems: string[] = [];
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(def.slug)) problems.push(`slug "${def.slug}" must be kebab-case`);
  if (def.tasks.length === 0) problems.push("an exercise needs at least one task");
  const ids = new Set<string>();
  for (const task of def.tasks) {
    if (ids.has(task.id)) problems.push(`task id "${task.id}" is used twice`);
    ids.add(task.id);
    if (task.scenarios.length === 0) problems.push(`task "${task.id}" has no scenario`);
    if (task.checks.length === 0) problems.push(`task "${task.id}" has no check`);
    if (task.points !== undefined && !(Number.isFinite(task.points) && task.points >= 0)) problems.push(`task "${task.id}": points must be a number of 0 or more, got ${String(task.points)}`);
    for (const scenario of task.scenarios) {
      // The workload decides the harness; a declaration that disagrees would boot the wrong learner realms.
      let runs: HarnessName | undefined;
      try {
        runs = harnessFor(scenario).name;
      } catch (error) {
        problems.push(`task "${task.id}": ${(error as Error).message}`);
        continue;
      }
      for (const problem of getHarness(runs).scenarioProblems(scenario)) problems.push(`task "${task.id}", scenario "${scenario.name}": ${problem}`);
      if (runs !== def.harness) problems.push(`task "${task.id}", scenario "${scenario.name}": its workload "${scenario.workload.name}" runs in the ${runs} harness, but the exercise declares harness "${def.harness}"`);
    }
  }
  if (problems.length) throw new Error(`exercise "${def.slug}": ${problems.join("; ")}`);
  return def;
}
