/**
 * One run judged: the model recomputed from the run's assumptions, the learner's answer read, and every figure
 * compared with the model's, with a message that teaches (the figure, both values, the gap, and the step
 * where the learner's arithmetic parts from the model's). Runs outside the sandbox, on plain data; judged
 * once per run and shared by the checks and the harness's figures.
 */
import type { EstimateRunData } from "../harness/estimate/run.ts";
import { readAnswer, type Answer } from "./answer.ts";
import { creditFor, creditWord, distance, type Credit } from "./compare.ts";
import { describeGap, diagnose, formatValue } from "./diagnose.ts";
import { getDrill } from "./drills/index.ts";
import { runModel } from "./model.ts";
import type { Compare, Drill } from "./types.ts";

export interface FigureJudgement {
  figure: string;
  check: string;
  compare: Compare;
  model: number;
  yours?: number;
  credit: Credit;
  /** log10 distance from the model's figure (see compare.ts), when yours could be compared. */
  distance?: number;
  /** The check's message, without the credit summary. */
  message: string;
}

export interface EstimateJudgement {
  drill: Drill;
  answer: Answer;
  figures: FigureJudgement[];
  /** Mean credit over the figures, 0…1. */
  score: number;
}

const judged = new WeakMap<EstimateRunData, EstimateJudgement>();

export function judgeEstimate(run: EstimateRunData): EstimateJudgement {
  const cached = judged.get(run);
  if (cached) return cached;
  const drill = getDrill(run.estimate.drill);
  if (!drill) throw new Error(`unknown estimation drill "${run.estimate.drill}"`);
  const assumptions = run.estimate.assumptions;
  const model = runModel(drill, assumptions);
  const answer = readAnswer(drill, run.estimate);
  const learner: Record<string, number | undefined> = {};
  for (const step of drill.steps) learner[step.figure] = answer.fields[step.figure]?.value;
  const figures = drill.steps.map((step): FigureJudgement => {
    const compare = step.compare ?? "ratio";
    const base = { figure: step.figure, check: step.check, compare, model: model[step.figure]! };
    const yours = learner[step.figure];
    const modelText = `the model's ${formatValue(compare, base.model)}`;
    if (yours === undefined) return { ...base, credit: 0, message: `${step.figure}: ${answer.fields[step.figure]?.problem ?? "missing"} (${modelText}).` };
    const d = distance(compare, yours, base.model);
    const credit = creditFor(d);
    const head = `${step.figure}: yours ${formatValue(compare, yours)}, ${modelText}`;
    if (d.distance === undefined) return { ...base, yours, credit, message: `${head}: your ${step.figure} ${d.invalid}. ${diagnose(drill, assumptions, model, learner, step.figure)}`.trim() };
    const gap = describeGap(compare, d.distance);
    if (credit === 1) return { ...base, yours, credit, distance: d.distance, message: `${head} (${d.distance === 0 ? "equal" : gap}): within 2×, full credit` };
    const band = credit === 0.5 ? "outside 2× but within 10×: partial credit" : "beyond 10×: no credit";
    return { ...base, yours, credit, distance: d.distance, message: `${head} (${gap}): ${band}. ${diagnose(drill, assumptions, model, learner, step.figure)}`.trim() };
  });
  const score = figures.reduce((sum, f) => sum + f.credit, 0) / figures.length;
  const result = { drill, answer, figures, score };
  judged.set(run, result);
  return result;
}

/** "credit: dailyRequests full, peakQps partial; score 0.75": every figure at a glance, for any message. */
export function creditSummary(j: EstimateJudgement): string {
  return `credit: ${j.figures.map((f) => `${f.figure} ${creditWord(f.credit)}`).join(", ")}; score ${Number(j.score.toFixed(2))}`;
}

/** The run's figures for the results: per figure its credit, the learner's value and the model's; and the score. */
export function estimateFigures(j: EstimateJudgement): Record<string, number> {
  const out: Record<string, number> = {
    score: Number(j.score.toFixed(3)),
    figuresFull: j.figures.filter((f) => f.credit === 1).length,
    figuresPartial: j.figures.filter((f) => f.credit === 0.5).length,
    figuresNone: j.figures.filter((f) => f.credit === 0).length,
  };
  for (const f of j.figures) {
    out[`credit.${f.figure}`] = f.credit;
    out[`model.${f.figure}`] = f.model;
    if (f.yours !== undefined) out[`yours.${f.figure}`] = f.yours;
  }
  return out;
}
