/**
 * Where a learner's figure parts from the model. Each step of the model is replayed on the learner's own
 * earlier figures: a step that gives back the learner's value was done right, however wrong its inputs, so
 * the step whose replay differs most from what the learner has is where the mistake is. That step's gap is
 * then explained: by a known wrong formula of the drill, or by a factor the gap equals (an assumption the
 * learner left out or used twice, 8 bits per byte, 86,400 s per day, a unit prefix…).
 */
import { distance } from "./compare.ts";
import { ancestry } from "./model.ts";
import { formatFactor, formatNumber, formatProbability, log10 } from "./numbers.ts";
import type { Compare, Drill, StepSpec, Values } from "./types.ts";

/** A step whose replay is within this (3%) of the learner's value was done as the model does it. */
const consistentLog10 = 0.013;
/** A gap matches a factor when within this (2%). */
const factorMatchLog10 = 0.009;
/** Factors this close to 1 (within 1.4×) explain nothing: too many things are about that size. */
const trivialLog10 = 0.15;

interface Factor {
  value: number;
  words: string;
}

/** Factors any drill's figures may be off by, with what that usually means. */
const universal: Factor[] = [
  { value: 8, words: "8, the bits in a byte" },
  { value: 60, words: "60, the seconds in a minute or the minutes in an hour" },
  { value: 24, words: "24, the hours in a day (a per-hour figure used per day, or the other way)" },
  { value: 3600, words: "3,600, the seconds in an hour" },
  { value: 86_400, words: "86,400, the seconds in a day" },
  { value: 365, words: "365, the days in a year" },
  { value: 30, words: "30, the days in a month" },
  { value: 12, words: "12, the months in a year" },
  { value: 730, words: "730, the hours in a month" },
  { value: 1e3, words: "1,000 (a unit prefix: k, or ms per second)" },
  { value: 1e6, words: "10⁶ (a unit prefix: M)" },
  { value: 1e9, words: "10⁹ (a unit prefix: G: a figure in gigabytes where bytes were asked, or the other way?)" },
  { value: 1e12, words: "10¹² (a unit prefix: T: a figure in terabytes where bytes were asked, or the other way?)" },
];

export const formatValue = (compare: Compare, x: number): string => (compare === "probability" ? formatProbability(x) : compare === "nines" ? `${Number(x.toFixed(2))} nines` : formatNumber(x));

/** A distance between two figures of this kind, in words. */
export function describeGap(compare: Compare, d: number): string {
  if (compare === "nines") return `${Math.abs(d).toFixed(1)} nines too ${d > 0 ? "many" : "few"}`;
  return compare === "probability" ? `odds ${formatFactor(d)}` : formatFactor(d);
}

function factorsOf(drill: Drill, assumptions: Values): Factor[] {
  const own = drill.assumptions
    .filter((a) => assumptions[a.name]! > 0)
    .map((a) => ({ value: assumptions[a.name]!, words: `${formatNumber(assumptions[a.name]!)}, ${a.name}${a.factorHint ? `: ${a.factorHint}` : ""}` }));
  return [...own, ...(drill.constants ?? []).map((c) => ({ value: c.value, words: c.says })), ...universal].filter((f) => Math.abs(log10(f.value)) >= trivialLog10);
}

/** The factor (or product of two) a gap of `gapLog10` equals, in words. */
function explainFactor(gapLog10: number, factors: Factor[]): string | undefined {
  const target = Math.abs(gapLog10);
  let best: { off: number; words: string } | undefined;
  const consider = (logValue: number, words: string, penalty: number) => {
    const off = Math.abs(Math.abs(logValue) - target) + penalty;
    if (Math.abs(Math.abs(logValue) - target) <= factorMatchLog10 && (!best || off < best.off)) best = { off, words };
  };
  for (const f of factors) consider(log10(f.value), f.words, 0);
  // Two slips at once (bits and replication): only when no single factor explains the gap.
  if (!best) {
    for (let i = 0; i < factors.length; i++) {
      for (let j = i; j < factors.length; j++) {
        const a = factors[i]!;
        const b = factors[j]!;
        consider(log10(a.value) + log10(b.value), `${a.words}, times ${b.words}`, 0.001);
        if (i !== j) consider(log10(a.value) - log10(b.value), `${a.words}, over ${b.words}`, 0.001);
      }
    }
  }
  return best ? `the gap is ${best.words}` : undefined;
}

/** The learner's value of every input a step reads: theirs where they gave it, else the model's. */
function inputsFor(model: Values, learner: Readonly<Record<string, number | undefined>>): Values {
  const merged: Record<string, number> = { ...model };
  for (const [name, value] of Object.entries(learner)) if (value !== undefined) merged[name] = value;
  return merged;
}

interface Replay {
  step: StepSpec;
  yours: number;
  replayed: number;
  /** |distance| between yours and the replay (Infinity when yours cannot be compared). */
  off: number;
  gap: number;
  invalid?: string;
}

function replay(step: StepSpec, merged: Values, yours: number): Replay {
  const replayed = step.compute(merged);
  const d = distance(step.compare ?? "ratio", yours, replayed);
  return d.distance === undefined ? { step, yours, replayed, off: Infinity, gap: 0, invalid: d.invalid } : { step, yours, replayed, off: Math.abs(d.distance), gap: d.distance };
}

/** Inputs named with their values as the learner had them: "your meanQps 1,160". */
function inputWords(step: StepSpec, drill: Drill, merged: Values, learner: Readonly<Record<string, number | undefined>>): string {
  const own = step.inputs.filter((name) => !drill.assumptions.some((a) => a.name === name));
  if (own.length === 0) return "from the assumptions";
  return `from ${own.map((name) => `${learner[name] !== undefined ? "your" : "the model's"} ${name} ${formatValue(drill.steps.find((s) => s.figure === name)?.compare ?? "ratio", merged[name]!)}`).join(" and ")}`;
}

/**
 * One or two sentences: the step that differs most from the model's (replayed on the learner's own inputs),
 * and why, when a known mistake or a factor explains it.
 */
export function diagnose(drill: Drill, assumptions: Values, model: Values, learner: Readonly<Record<string, number | undefined>>, figure: string): string {
  const merged = inputsFor(model, learner);
  const replays = ancestry(drill, figure)
    .filter((step) => learner[step.figure] !== undefined)
    .map((step) => replay(step, merged, learner[step.figure]!));
  const worst = replays.reduce<Replay | undefined>((a, b) => (!a || b.off > a.off ? b : a), undefined);
  if (!worst) return "";
  if (worst.off <= consistentLog10) {
    return "Each of your steps follows from the ones before it, so the difference comes in small amounts from several steps: round less at each step, or check the rounding of the assumptions.";
  }
  const { step } = worst;
  const compare = step.compare ?? "ratio";
  const lead = worst.step.figure === figure ? `The step that differs: ${step.figure} = ${step.rule}` : `It parts from the model at ${step.figure} = ${step.rule}`;
  const replayText = `${inputWords(step, drill, merged, learner)} that gives ${formatValue(compare, worst.replayed)}, and you have ${formatValue(compare, worst.yours)}`;
  let why: string | undefined;
  // An invalid value of the figure itself was said already, in the figure's own message.
  if (worst.invalid !== undefined && step.figure !== figure) why = `your ${step.figure} ${worst.invalid}`;
  else if (worst.invalid !== undefined) why = "";
  for (const mistake of step.mistakes ?? []) {
    if (why !== undefined) break;
    const wrong = mistake.compute(merged);
    const toYours = distance(compare, worst.yours, wrong);
    const toModel = distance(compare, worst.replayed, wrong);
    if (toYours.distance !== undefined && Math.abs(toYours.distance) <= consistentLog10 && (toModel.distance === undefined || Math.abs(toModel.distance) > 0.05)) why = mistake.says;
  }
  if (why === undefined && compare === "ratio") why = explainFactor(worst.gap, factorsOf(drill, assumptions));
  // The figure's own gap was said already when the step is the figure's own and its inputs were right.
  const saidAlready = worst.step.figure === figure && Math.abs(worst.replayed - model[figure]!) <= Math.abs(model[figure]!) * 0.03;
  const gapText = worst.invalid === undefined && !saidAlready ? ` (${describeGap(compare, worst.gap)})` : "";
  const later = replays.filter((r) => drill.steps.indexOf(r.step) > drill.steps.indexOf(step));
  const follows = worst.step.figure !== figure && later.every((r) => r.off <= consistentLog10) ? " Your steps after it follow from it." : "";
  return `${lead}: ${replayText}${gapText}${why ? `; ${why}` : ""}.${follows}`;
}

