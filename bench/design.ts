// Design-harness speed: seconds of wall time (and of CPU) per task run of ten simulated minutes at the
// url-shortener prompt's peak, per seed, in the isolated-vm sandbox (fresh isolate, the design's realm
// and the engine's). Beside it: the same run in the one-realm sandbox (the browser's, run from Node), and
// with the other way of draining the learner's promise continuations ("host": a yield to the host after
// every event that settled one, as the node harness does) against the default ("microtask": hops inside
// the sandbox until the realm reports none ran). And the news-feed reference, the dearest prompt per
// request (a post fans out to dozens of appends, a feed carries the hundred accounts its reader follows),
// for ten simulated minutes at the exercise's own sample (15 requests/s at the peak). Target: ≤ 1 s per seed.
import { expandKnobs, type ScenarioSpec } from "../graders/index.ts";
import { designScenario } from "../graders/design/scenario.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox } from "../graders/sandbox/node/index.ts";
import { solution } from "./engine.ts";

export interface DesignFigures {
  /** Wall seconds per 10 simulated minutes per seed (best of the runs), and CPU seconds of this process. */
  launchSecPerRun: number;
  launchCpuSecPerRun: number;
  growthSecPerRun: number;
  oneRealmSecPerRun: number;
  hostDrainSecPerRun: number;
  /** The news-feed reference: wall and CPU seconds per 10 simulated minutes per seed (best of the runs). */
  newsFeedSecPerRun: number;
  newsFeedCpuSecPerRun: number;
  /** Simulated user requests per run, and per second of wall time. */
  requestsPerRun: number;
  requestsPerSec: number;
}

interface Timed {
  wallMs: number;
  cpuMs: number;
  requests: number;
}

const scenarios = {
  launch: designScenario({ name: "launch", prompt: "url-shortener", durationMin: 10 }),
  growth: designScenario({ name: "growth", prompt: "url-shortener", durationMin: 10, growth: 10 }),
  hostDrain: designScenario({ name: "launch", prompt: "url-shortener", durationMin: 10, drain: "host" }),
  // The exercise's own sample (exercises/news-feed-design/exercise.ts), for ten minutes instead of its tasks' 2.5.
  newsFeed: designScenario({ name: "launch", prompt: "news-feed", durationMin: 10, sampledPeakPerSec: 15 }),
};

async function timed(scenario: ScenarioSpec, seed: number, solutionJs: string, kind: "isolated-vm" | "one-realm" = "isolated-vm"): Promise<Timed> {
  const sandbox = kind === "isolated-vm" ? createIsolatedVmSandbox() : createOneRealmIvmSandbox();
  const cpu = process.cpuUsage();
  const run = await sandbox.run({ scenario, knobs: expandKnobs(scenario, seed), solutionJs, harness: "design", limits: { wallMs: 120_000 } });
  const used = process.cpuUsage(cpu);
  if (run.kind !== "data") throw new Error(run.message);
  const requests = (run.data as unknown as { design: { figures: { requests: number } } }).design.figures.requests;
  return { wallMs: run.wallMs, cpuMs: (used.user + used.system) / 1000, requests };
}

export async function benchDesign(print: (line: string) => void = console.log): Promise<DesignFigures> {
  const js = await solution("url-shortener");
  const best = async (f: (seed: number) => Promise<Timed>) => {
    let top: Timed = { wallMs: Infinity, cpuMs: Infinity, requests: 0 };
    for (const seed of [1, 2, 3]) {
      const r = await f(seed);
      if (r.wallMs < top.wallMs) top = r;
    }
    return top;
  };
  await timed(scenarios.launch, 1, js); // warm-up: bundles, code cache, JIT of the host side
  const launch = await best((seed) => timed(scenarios.launch, seed, js));
  const growth = await best((seed) => timed(scenarios.growth, seed, js));
  const oneRealm = await best((seed) => timed(scenarios.launch, seed, js, "one-realm"));
  const host = await best((seed) => timed(scenarios.hostDrain, seed, js));
  const feedJs = await solution("news-feed-design");
  await timed(scenarios.newsFeed, 1, feedJs);
  const feed = await best((seed) => timed(scenarios.newsFeed, seed, feedJs));
  const sec = (ms: number) => Math.round(ms) / 1000;
  const figures: DesignFigures = {
    launchSecPerRun: sec(launch.wallMs),
    launchCpuSecPerRun: sec(launch.cpuMs),
    growthSecPerRun: sec(growth.wallMs),
    oneRealmSecPerRun: sec(oneRealm.wallMs),
    hostDrainSecPerRun: sec(host.wallMs),
    newsFeedSecPerRun: sec(feed.wallMs),
    newsFeedCpuSecPerRun: sec(feed.cpuMs),
    requestsPerRun: launch.requests,
    requestsPerSec: Math.round((launch.requests / launch.wallMs) * 1000),
  };
  print("design harness: url-shortener reference, 10 simulated minutes at the peak per run (best of seeds 1–3)");
  print(`  launch (4,000 requests/s, ${launch.requests.toLocaleString("en")} simulated): ${figures.launchSecPerRun} s per seed (target ≤ 1 s), ${figures.launchCpuSecPerRun} s of CPU, ${figures.requestsPerSec.toLocaleString("en")} simulated requests/s`);
  print(`  10× growth (40,000 requests/s, the same sample size): ${figures.growthSecPerRun} s per seed`);
  print(`  one-realm sandbox (the browser's): ${figures.oneRealmSecPerRun} s per seed`);
  print(`  draining continuations by a host yield per settled call instead of microtask hops: ${figures.hostDrainSecPerRun} s per seed (${Math.round((host.wallMs / launch.wallMs) * 100) / 100}× the default)`);
  print(`  news-feed reference, 10 simulated minutes at 50,000 requests/s (a sample of 15/s, ${feed.requests.toLocaleString("en")} simulated): ${figures.newsFeedSecPerRun} s per seed (target ≤ 1 s), ${figures.newsFeedCpuSecPerRun} s of CPU, ${Math.round((feed.wallMs / launch.wallMs) * 100) / 100}× the url-shortener's launch run`);
  return figures;
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;
if (isMain) await benchDesign();
