/**
 * Latency by phase of a fault window: each successful request's latency filed under before, during or
 * after the window by its intended send time. A run's overall percentiles blur a short fault into the
 * calm around it; per phase, a learner sees what the fault did to the requests sent while it lasted and
 * whether the system came back to its old latency afterwards.
 */
import { round1, select } from "../sim/requests/recorder.ts";

export const phaseNames = ["Before", "During", "After"] as const;

export class PhaseLatencies {
  private readonly lists: number[][] = [[], [], []];
  private readonly fromMs: number;
  private readonly toMs: number;

  /** The fault acts on requests sent in [fromMs, toMs). */
  constructor(fromMs: number, toMs: number) {
    this.fromMs = fromMs;
    this.toMs = toMs;
  }

  add(intendedMs: number, latencyMs: number): void {
    this.lists[intendedMs < this.fromMs ? 0 : intendedMs < this.toMs ? 1 : 2]!.push(latencyMs);
  }

  /**
   * `latency<Phase>P50Ms` and `latency<Phase>P99Ms` (nearest rank, as the run's own percentiles) and
   * `ok<Phase>` for each phase that had a successful request.
   */
  figures(): Record<string, number> {
    const out: Record<string, number> = {};
    this.lists.forEach((list, p) => {
      const n = list.length;
      if (n === 0) return;
      const values = Float64Array.from(list);
      const pick = (q: number) => round1(select(values, Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1)), n));
      const phase = phaseNames[p]!;
      out[`latency${phase}P50Ms`] = pick(0.5);
      out[`latency${phase}P99Ms`] = pick(0.99);
      out[`ok${phase}`] = n;
    });
    return out;
  }
}
