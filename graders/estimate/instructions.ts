/**
 * A drill's instructions, written from its definition, so that the ranges, field names and steps the
 * learner reads are the ones the grader draws and checks.
 */
import { formatAssumption } from "./numbers.ts";
import { getDrill } from "./drills/index.ts";
import type { AssumptionSpec } from "./types.ts";

function range(a: AssumptionSpec): string {
  if (a.choices?.length === 1) return `always ${formatAssumption(a.choices[0]!)}`;
  if (a.choices?.length) return `one of ${a.choices.map(formatAssumption).join(", ")}`;
  return `${formatAssumption(a.min)} to ${formatAssumption(a.max)}`;
}

/** Markdown: the situation, the assumptions with their ranges, the figures to return, and how they are graded. */
export function drillInstructions(name: string, intro: string): string {
  const drill = getDrill(name);
  if (!drill) throw new Error(`unknown estimation drill "${name}"`);
  return [
    intro,
    "",
    drill.summary,
    "",
    "Default-export a function that takes the assumptions and returns the figures, every field a number in the unit its name ends with. The grader draws new assumptions for every seed, from these ranges:",
    "",
    ...drill.assumptions.map((a) => `- \`${a.name}\`: ${a.description} (${range(a)})`),
    "",
    "and expects these figures, in the order of the model's steps (the intermediate ones are graded too):",
    "",
    ...drill.steps.map((s) => `- \`${s.figure}\`: ${s.description}`),
    "",
    "Each figure earns full credit within 2× of the grader's model (|log10 ratio| ≤ 0.3), partial credit within 10×, none beyond; probabilities are compared by their odds, figures in nines by their difference. There is no answer key, only the model: published answers to questions like these disagree by 10× depending on their assumptions, so the grader recomputes every figure from the seed's own numbers. When a figure is off, the message names the step where your arithmetic parts from the model's.",
  ].join("\n");
}
