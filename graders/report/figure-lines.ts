/**
 * A grade's measured figures as text, one line per scenario: each harness names the figures of its runs
 * worth a line (Harness.figureLabels), with labels in words and units, since raw keys such as
 * costUsdPerMonth or p99Ratio are no reading for a person. The CLI prints them after the verdicts.
 */
import type { Results } from "./results.ts";

export interface FigureLabel {
  /** The key in a test's metrics. */
  key: string;
  label: string;
  format: (x: number) => string;
  /** When the figure means something, if not always. */
  when?: (metrics: Record<string, number>) => boolean;
}

const ms = (x: number) => `${x} ms`;

/** Figures of any system that serves requests (a component's or a design's users). */
export const requestFigureLabels: readonly FigureLabel[] = [
  { key: "requests", label: "requests", format: String },
  { key: "throughputPerSec", label: "throughput", format: (x) => `${x}/s` },
  { key: "latencyP50Ms", label: "p50", format: ms },
  { key: "latencyP99Ms", label: "p99", format: ms },
  { key: "latencyP999Ms", label: "p999", format: ms },
  { key: "errorRate", label: "errors", format: (x) => `${(x * 100).toFixed(2)}%` },
];

/**
 * The figures of a grade's runs, one line per scenario (its first seed that measured any), so that a grade
 * shows what the simulated system measured and not only whether it passed; "" when none has a label.
 */
export function renderFigureLines(results: Results, labels: readonly FigureLabel[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const test of results.tests) {
    // A run that errored or was skipped measured nothing: the scenario's next seed may have.
    if (seen.has(test.name) || test.status === "skipped") continue;
    // Every run carries latency metrics (zero without requests): show them only for request systems.
    const m = test.metrics;
    const parts = labels.filter((f) => m[f.key] !== undefined && (m.requests !== undefined || !f.key.startsWith("latency")) && (!f.when || f.when(m))).map((f) => `${f.label} ${f.format(m[f.key]!)}`);
    if (parts.length === 0) continue;
    seen.add(test.name);
    lines.push(`  ${test.name} (seed ${test.seed}): ${parts.join(", ")}`);
  }
  return lines.length ? `figures:\n${lines.join("\n")}\n` : "";
}
