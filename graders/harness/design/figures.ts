/**
 * The figures of a design run worth a line in the CLI's report (report/figure-lines.ts), in order: the
 * users' requests, the caches and stores, then recovery, durability and cost beside the reference design's
 * on the same seed.
 */
import { requestFigureLabels, type FigureLabel } from "../../report/figure-lines.ts";

const usd = (x: number) => `$${Math.round(x).toLocaleString("en-US")}/month`;
/** A design run measured a fault's phases (its figures per phase exist only then): recovery figures mean something. */
const hadFault = (m: Record<string, number>) => Object.keys(m).some((k) => k.endsWith(".during.availability"));

export const designFigureLabels: readonly FigureLabel[] = [
  ...requestFigureLabels,
  { key: "hitRatio", label: "hit ratio", format: (x) => `${(x * 100).toFixed(1)}%` },
  { key: "staleRatio", label: "stale reads", format: (x) => `${(x * 100).toFixed(2)}%` },
  { key: "lostWrites", label: "lost writes", format: String },
  { key: "rtoSec", label: "recovery time (RTO)", format: (x) => (x < 0 ? "never recovered" : `${x} s`), when: hadFault },
  { key: "rpoSec", label: "data-loss window (RPO)", format: (x) => `${x} s`, when: hadFault },
  { key: "lostWritesReal", label: "acknowledged writes lost", format: (x) => `about ${x}`, when: hadFault },
  { key: "costUsdPerMonth", label: "cost", format: usd },
  { key: "referenceCostUsdPerMonth", label: "reference design's cost", format: usd },
  { key: "costRatio", label: "cost over the reference's", format: (x) => `${x}×` },
  { key: "referenceLatencyP99Ms", label: "reference design's p99", format: (x) => `${x} ms` },
  { key: "p99Ratio", label: "p99 over the reference's", format: (x) => `${x}×` },
  { key: "sampleWeight", label: "each simulated request stands for", format: (x) => `${x} real ones` },
];
