/**
 * The assumptions of one run, drawn from the drill's stated ranges by the seed: the same seed always gives
 * the same numbers (printed beside it), and a new seed new ones, so an answer must follow the assumptions
 * rather than match a published figure.
 */
import { createRng, type Rng } from "../sim/prng.ts";
import { exp, ln, roundSignificant } from "./numbers.ts";
import type { AssumptionSpec, Drill } from "./types.ts";

const maxDraws = 200;

function drawOne(spec: AssumptionSpec, rng: Rng): number {
  if (spec.choices?.length) return rng.pick(spec.choices);
  let x: number;
  if (spec.scale === "log") x = roundSignificant(exp(rng.uniform(ln(spec.min), ln(spec.max))), spec.digits ?? 2);
  else if (spec.step !== undefined) x = roundSignificant(Math.round(rng.uniform(spec.min, spec.max) / spec.step) * spec.step, 12);
  else x = roundSignificant(rng.uniform(spec.min, spec.max), spec.digits ?? 2);
  // Rounding may step just past an end of the range; the range is what the drill promises.
  return Math.min(spec.max, Math.max(spec.min, x));
}

export function drawAssumptions(drill: Drill, seed: number): Record<string, number> {
  const rng = createRng(seed, `estimate/${drill.name}`);
  for (let attempt = 0; attempt < maxDraws; attempt++) {
    const values: Record<string, number> = {};
    for (const spec of drill.assumptions) values[spec.name] = drawOne(spec, rng);
    if (!drill.accept || drill.accept(values)) return values;
  }
  throw new Error(`drill ${drill.name}: no acceptable assumptions in ${maxDraws} draws for seed ${seed} (its accept() rejects nearly everything)`);
}
