/**
 * Seeded pseudo-random numbers: sfc32 (small, fast, passes PractRand to 2^40+) seeded through a string hash
 * so that one seed fans out into independent named streams ("net", "node:n3", "nemesis", …). Adding a new
 * stream never shifts the numbers of an existing one, which keeps old seeds replayable.
 */
import { ln } from "./det-math.ts";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An independent stream derived from this one's seed and a name. */
  fork(name: string): Rng;
}

/** 32-bit FNV-1a over a string: used only to turn stream names into seed material. */
export function hashString32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number, stream = "root"): Rng {
  const seedText = `${seed}/${stream}`;
  let a = hashString32(seedText, 0x9e3779b9);
  let b = hashString32(seedText, 0x85ebca6b);
  let c = hashString32(seedText, 0xc2b2ae35);
  let d = 1;
  const raw = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm up so that similar seeds diverge before the first draw.
  for (let i = 0; i < 12; i++) raw();
  const rng: Rng = {
    next: raw,
    int: (n) => Math.floor(raw() * n),
    uniform: (min, max) => min + raw() * (max - min),
    exponential: (mean) => -mean * ln(1 - raw()),
    chance: (p) => p > 0 && raw() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(raw() * items.length)]!;
    },
    fork: (name) => createRng(seed, `${stream}/${name}`),
  };
  return rng;
}
