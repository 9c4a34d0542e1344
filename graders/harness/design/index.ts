/**
 * The design harness: the learner writes a whole architecture and its handlers (harness/design/api.ts),
 * the engine plays a prompt's users through it request by request (design/), and the checks judge SLOs,
 * RTO, RPO, correctness and cost. Its runs record no client history and no messages: the record hash is
 * made inside the sandbox, request by request. Each run's figures sit beside the reference design's on the
 * same seed (precomputed, carried by the scenario: see design/scenario.ts).
 */
import { DesignEngine } from "../../design/engine.ts";
import { designChecks } from "../../design/checks.ts";
import { getPrompt, prompts } from "../../design/prompts/index.ts";
import { designOptions, designWorkloadPrefix, referenceOf, type FaultKind } from "../../design/scenario.ts";
import { createDesignRuntime } from "./realm/runtime.ts";
import type { CheckFn } from "../../contract.ts";
import type { DesignRunData } from "./run.ts";
import { describeValue } from "../../report/describe-value.ts";
import { formatMs } from "../../report/format.ts";
import { hashText } from "../../report/hash.ts";
import { jsonText } from "../../report/json-text.ts";
import type { ScenarioSpec } from "../../sim/scenario.ts";
import type { Engine, Harness } from "../types.ts";
import { designFigureLabels } from "./figures.ts";

function promptOf(scenario: ScenarioSpec) {
  return promptNamed(scenario.workload.name);
}

function promptNamed(workload: string) {
  const name = workload.slice(designWorkloadPrefix.length);
  const prompt = getPrompt(name);
  if (!prompt) throw new Error(`unknown design prompt "${name}" (known: ${Object.keys(prompts).join(", ")})`);
  return prompt;
}

const checksByPrompt = new Map<string, Record<string, CheckFn<DesignRunData>>>();

// Every fault kind has its words (the type says so: a new kind without them does not compile).
const faultWords: Record<FaultKind, string> = {
  "zone-outage": "a zone holding a store's primary (drawn from the seed) fails",
  "primary-failure": "the first store's shard 0 loses its primary",
  "cache-node-loss": "the first cache's node 0 restarts empty",
  "viral-key": "one link from the long tail goes viral",
  "region-partition": "the fault's region is cut off from every other region (its users too); each side keeps working inside",
  "storage-outage": "every cache and database of the design's first region stops answering (caches come back empty)",
  "provider-outage": "the provider that delivered the most until then answers 503 and delivers nothing",
  "celebrity-post": "celebrities post (accounts with millions of followers), one every 20 s",
  "replica-lag": "every asynchronous SQL replica lags about 1.5 s behind its primary",
  "ranked-timelines": "reading a celebrity's timeline from a store is a ranked query (20 ms of the shard's CPU)",
};

export const designHarness: Harness<DesignRunData> = {
  name: "design",
  runs: (scenario) => scenario.workload.name.startsWith(designWorkloadPrefix) && getPrompt(scenario.workload.name.slice(designWorkloadPrefix.length)) !== undefined,
  scenarioProblems: (scenario) => (scenario.nodes !== undefined || scenario.realms !== undefined ? ["a design runs in one realm: its scenario has neither nodes nor realms"] : []),
  createEngine: (scenario, knobs) => new DesignEngine(scenario, knobs) as unknown as Engine,
  createRuntime: createDesignRuntime,
  checks(scenario) {
    const prompt = promptOf(scenario);
    let checks = checksByPrompt.get(prompt.name);
    if (!checks) checksByPrompt.set(prompt.name, (checks = { ...designChecks, ...prompt.checks }));
    return checks;
  },
  // The design's own "no-errors" speaks of components and handlers; nothing generic has data here.
  genericChecks: {},
  describeSystem(workload) {
    const prompt = promptNamed(workload);
    return {
      kind: "design prompt",
      summary: prompt.summary,
      messages: [],
      facts: [
        { label: "request types", text: prompt.types.map((t) => `${t.name} (${Math.round(t.share * 1000) / 10}% of requests)`).join(", ") },
        { label: "traffic", text: describeValue(prompt.traffic) },
        { label: "data", text: describeValue(prompt.data) },
      ],
    };
  },
  describeKnobs(scenario, _knobs, seed) {
    const prompt = promptOf(scenario);
    const o = designOptions(scenario);
    const peak = prompt.traffic.peakPerSec * o.growth;
    const lines = [
      `${prompt.name}: ${Math.round(peak).toLocaleString("en-US")} requests/s at the peak (${prompt.types.map((t) => `${t.name} ${(t.share * 100).toFixed(1)}%`).join(", ")}), ${formatMs(o.durationMs)} simulated, seed ${seed}`,
      `sampled: ${o.sampledPeakPerSec} simulated requests/s at the peak, each standing for ${Math.max(1, peak / o.sampledPeakPerSec).toFixed(1)} users' requests`,
    ];
    if (o.fault) lines.push(`from ${formatMs(o.fault.atMs)} for ${formatMs(o.fault.forMs)}: ${faultWords[o.fault.kind]}${o.fault.kind === "viral-key" ? ` (${Math.round(o.fault.share * 100)}% of resolves)` : ""}`);
    return lines;
  },
  historyHash: (run) => hashText(jsonText({ record: run.design.recordHash, errors: run.errors.map((e) => e.text) })),
  figures(run, runWallMs) {
    const outcome = run.design;
    const figures: Record<string, number> = { events: run.stats.events, simulatedMs: run.stats.simulatedMs, wallMs: runWallMs, ...outcome.figures };
    for (const [line, usd] of Object.entries(outcome.cost)) if (line !== "total") figures[`cost.${line}`] = usd;
    // Beside the reference design on the same seed: a ratio above 1 costs more, or is slower.
    const reference = referenceOf(run.scenario, run.knobs.seed);
    if (reference && figures.costUsdPerMonth !== undefined) {
      figures.referenceCostUsdPerMonth = reference.costUsdPerMonth;
      figures.referenceLatencyP99Ms = reference.latencyP99Ms;
      figures.costRatio = Math.round((figures.costUsdPerMonth / reference.costUsdPerMonth) * 100) / 100;
      figures.p99Ratio = reference.latencyP99Ms > 0 ? Math.round(((figures.latencyP99Ms ?? 0) / reference.latencyP99Ms) * 100) / 100 : 0;
    }
    return figures;
  },
  wireErrorCodes: false,
  figureLabels: designFigureLabels,
  totals: () => ({ ops: 0, serverMessages: 0, okLatenciesMs: [] }),
  series: (run) => ({ ...run.design.series }),
};
