// Realm reuse (graders/sandbox/node/realm-reuse.ts) against fresh realms, side by side in one process:
//  - broadcast's 25-node efficiency scenario graded over a whole grade of seeds in the isolated-vm sandbox:
//    delivered messages per second of wall time and ms per run, reuse on and off taking turns;
//  - whole grades (every task and scenario on a few seeds) of a few exercises through the process sandbox,
//    as `clusterlab grade` runs them.
// Each pair must give the same history hash; the load average is printed, since a busy machine blurs both.
import { loadavg } from "node:os";
import { exerciseSeeds, grade, type ExerciseDef } from "../graders/index.ts";
import { createIsolatedVmSandbox, createProcessSandbox } from "../graders/sandbox/node/index.ts";
import type { Sandbox } from "../graders/sandbox/types.ts";
import { loadExercise } from "../src/cli/exercises.ts";
import { solution } from "./engine.ts";

export interface RealmReuseFigures {
  broadcast25: { seeds: number; freshMsgsPerSec: number; reuseMsgsPerSec: number; freshMsPerRun: number; reuseMsPerRun: number; speedup: number };
  grades: Array<{ slug: string; runs: number; freshMs: number; reuseMs: number; speedup: number }>;
  loadAverage: [before: number, after: number];
}

interface Timed {
  ms: number;
  runs: number;
  delivered: number;
  hash: string;
}

async function timedGrade(exercise: ExerciseDef, solutionJs: string, sandbox: Sandbox, seeds: number[], scenario?: string): Promise<Timed> {
  let delivered = 0;
  let runs = 0;
  const started = performance.now();
  const results = await grade({
    exercise,
    solutionJs,
    solutionLabel: exercise.slug,
    sandbox,
    seeds,
    ...(scenario ? { scenario } : {}),
    onRun: (_test, run) => {
      runs++;
      if (run.harness === "node") delivered += run.stats.messagesDelivered;
    },
  });
  const ms = performance.now() - started;
  if (results.status !== "pass") throw new Error(`bench grade of ${exercise.slug} did not pass: ${results.message}`);
  return { ms, runs, delivered, hash: results.historyHash };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const load = () => round(loadavg()[0]!, 2);

export async function benchRealmReuse(print: (line: string) => void = console.log, options: { seeds?: number; rounds?: number; slugs?: string[] } = {}): Promise<RealmReuseFigures> {
  const before = load();
  const rounds = options.rounds ?? 2;
  const broadcast = (await loadExercise("broadcast"))!;
  const broadcastJs = await solution("broadcast");
  const seeds = Array.from({ length: options.seeds ?? 10 }, (_, i) => i + 1);
  const efficiency = broadcast.tasks.find((t) => t.id === "efficiency")!.scenarios[0]!.name;
  const sandboxes = { fresh: createIsolatedVmSandbox({ reuseRealms: false }), reuse: createIsolatedVmSandbox({ reuseRealms: true }) };
  // Warm-up: the bundles, the engine's code cache and the host's JIT, for both alike.
  for (const sandbox of Object.values(sandboxes)) await timedGrade(broadcast, broadcastJs, sandbox, [1], efficiency);
  const totals = { fresh: { ms: 0, runs: 0, delivered: 0 }, reuse: { ms: 0, runs: 0, delivered: 0 } };
  const hashes = new Set<string>();
  for (let r = 0; r < rounds; r++) {
    // Taking turns, so that a change in the machine's load falls on both.
    for (const name of r % 2 === 0 ? (["fresh", "reuse"] as const) : (["reuse", "fresh"] as const)) {
      const t = await timedGrade(broadcast, broadcastJs, sandboxes[name], seeds, efficiency);
      totals[name].ms += t.ms;
      totals[name].runs += t.runs;
      totals[name].delivered += t.delivered;
      hashes.add(t.hash);
    }
  }
  for (const sandbox of Object.values(sandboxes)) sandbox.dispose();
  if (hashes.size !== 1) throw new Error(`realm reuse changed broadcast-25's history hash: ${[...hashes].join(" ")}`);
  const perSec = (t: { ms: number; delivered: number }) => Math.round(t.delivered / (t.ms / 1000));
  const broadcast25 = {
    seeds: seeds.length,
    freshMsgsPerSec: perSec(totals.fresh),
    reuseMsgsPerSec: perSec(totals.reuse),
    freshMsPerRun: round(totals.fresh.ms / totals.fresh.runs),
    reuseMsPerRun: round(totals.reuse.ms / totals.reuse.runs),
    speedup: round(totals.fresh.ms / totals.reuse.ms, 2),
  };
  print(`realm reuse, broadcast 25 nodes graded over seeds 1-${seeds.length} (${rounds} rounds each, taking turns, isolated-vm in process):`);
  print(`  fresh realms: ${broadcast25.freshMsgsPerSec.toLocaleString("en")} delivered msgs/s, ${broadcast25.freshMsPerRun} ms per run`);
  print(`  reused realms: ${broadcast25.reuseMsgsPerSec.toLocaleString("en")} delivered msgs/s, ${broadcast25.reuseMsPerRun} ms per run (${broadcast25.speedup}x; same history hash ${[...hashes][0]})`);

  const grades: RealmReuseFigures["grades"] = [];
  for (const slug of options.slugs ?? ["g-counter", "broadcast", "rate-limiter"]) {
    const exercise = (await loadExercise(slug))!;
    const solutionJs = await solution(slug);
    const gradeSeeds = exerciseSeeds(exercise, 3);
    const boxes = { fresh: createProcessSandbox({ reuseRealms: false }), reuse: createProcessSandbox({ reuseRealms: true }) };
    try {
      // Each child started and warmed by a first grade, as a CLI's child is by the time its grade runs.
      for (const box of Object.values(boxes)) await timedGrade(exercise, solutionJs, box, [1]);
      const ms = { fresh: 0, reuse: 0 };
      let runs = 0;
      const gradeHashes = new Set<string>();
      for (let r = 0; r < rounds; r++) {
        for (const name of r % 2 === 0 ? (["fresh", "reuse"] as const) : (["reuse", "fresh"] as const)) {
          const t = await timedGrade(exercise, solutionJs, boxes[name], gradeSeeds);
          ms[name] += t.ms / rounds;
          runs = t.runs;
          gradeHashes.add(t.hash);
        }
      }
      if (gradeHashes.size !== 1) throw new Error(`realm reuse changed ${slug}'s history hash: ${[...gradeHashes].join(" ")}`);
      grades.push({ slug, runs, freshMs: Math.round(ms.fresh), reuseMs: Math.round(ms.reuse), speedup: round(ms.fresh / ms.reuse, 2) });
    } finally {
      for (const box of Object.values(boxes)) box.dispose();
    }
  }
  print(`realm reuse, whole grades through the process sandbox (seeds 1-3, every task; mean of ${rounds}, taking turns):`);
  for (const g of grades) print(`  ${g.slug} (${g.runs} runs): fresh ${g.freshMs} ms, reused ${g.reuseMs} ms (${g.speedup}x, same history hash)`);
  const after = load();
  print(`  load average (1 min) before ${before}, after ${after}`);
  return { broadcast25, grades, loadAverage: [before, after] };
}
