/** The drill's own model: its steps run in order over the seed's assumptions. */
import type { Drill, StepSpec, Values } from "./types.ts";

/** Every figure of the model, with the assumptions it started from. */
export function runModel(drill: Drill, assumptions: Values): Record<string, number> {
  const values: Record<string, number> = { ...assumptions };
  for (const step of drill.steps) values[step.figure] = step.compute(values);
  return values;
}

/** The step that computes `figure`. */
export function stepOf(drill: Drill, figure: string): StepSpec {
  const step = drill.steps.find((s) => s.figure === figure);
  if (!step) throw new Error(`drill ${drill.name} has no figure ${figure}`);
  return step;
}

/** The steps a figure depends on, itself included, in model order. */
export function ancestry(drill: Drill, figure: string): StepSpec[] {
  const needed = new Set<string>([figure]);
  const chain: StepSpec[] = [];
  for (const step of [...drill.steps].reverse()) {
    if (!needed.has(step.figure)) continue;
    chain.unshift(step);
    for (const input of step.inputs) needed.add(input);
  }
  return chain;
}
