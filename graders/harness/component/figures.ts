/** The figures of a component run worth a line in the CLI's report (report/figure-lines.ts), in order. */
import { requestFigureLabels, type FigureLabel } from "../../report/figure-lines.ts";

const pct = (digits: number) => (x: number) => `${(x * 100).toFixed(digits)}%`;

export const componentFigureLabels: readonly FigureLabel[] = [
  ...requestFigureLabels,
  { key: "imbalance", label: "imbalance", format: (x) => `${x}×` },
  { key: "stickyRatio", label: "sticky", format: pct(1) },
  { key: "hitRatio", label: "hit ratio", format: pct(1) },
  { key: "balanceMaxOverMean", label: "balance", format: (x) => `${x}×` },
  { key: "movedOnJoin", label: "moved on join", format: String },
  { key: "movedOnLeave", label: "moved on leave", format: String },
  { key: "idealMovedOnJoin", label: "ideal", format: String },
  { key: "costServerSec", label: "cost", format: (x) => `${x} server-s` },
  { key: "lruHitRatio", label: "exact LRU", format: pct(1) },
  { key: "optimalHitRatio", label: "optimum", format: pct(1) },
  { key: "usPerOp", label: "speed", format: (x) => `${x} µs/op` },
  { key: "admitted", label: "admitted", format: String },
  { key: "windowMaxOverLimit", label: "busiest second", format: (x) => `${x}× the limit` },
  { key: "saturatedUse", label: "greedy client", format: (x) => `${(x * 100).toFixed(1)}% of its limit` },
  { key: "lightAdmitted", label: "light clients", format: (x) => `${(x * 100).toFixed(1)}% admitted` },
  { key: "attemptsPerRequest", label: "attempts/request", format: String },
  { key: "outageAttemptsPerSec", label: "calls during outage", format: (x) => `${x}/s` },
  { key: "outageFailMeanMs", label: "time to fail", format: (x) => `${x} ms` },
  { key: "recoveryOkRatio", label: "recovery", format: pct(1) },
  { key: "staleRatio", label: "stale reads", format: pct(2) },
  { key: "lostWrites", label: "lost writes", format: String },
  { key: "writeLatencyP99Ms", label: "write p99", format: (x) => `${x} ms` },
  { key: "hotLatencyP99Ms", label: "hot-key p99", format: (x) => `${x} ms` },
];
