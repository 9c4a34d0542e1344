// Submit in the browser: every exercise's reference graded by the page's grader (sandboxed iframe, Workers,
// one-realm sandbox) in Debian's Chromium, as a learner's Submit does it, beside a baseline in the same run:
// the same grade by one Worker alone against runs over a Worker per core, spilling over after 300 ms (the run
// pool's default) or spread from the first run (spillAfterMs 0: what the site's editor does).
// Each grade gets a fresh, warmed grader (the editor warms it when the page opens), so the figure is the
// wait after the click; the three graders alternate, so a changing load weighs on each alike. "in runs" is the
// share of the 1-Worker Submit spent inside the runs themselves (the sandbox's own wall time per run): what
// is left is messages, judging and results, so a Submit over the target with ~100% in runs is the grading.
// `node --no-node-snapshot bench/browser-submit.ts [--mode run|submit] [--after-run] [--rounds N]
// [--baseline-root DIR] [slug…]` runs it alone; --after-run also times a Submit that follows a Run of the same
// code, as a learner clicks them (by one Worker, and spread as the site grades); --rounds takes the best of N
// rounds (the machine is noisy); --baseline-root also times the 1-Worker Submits with another checkout's
// grader in the same Chromium, each of its grades right before this checkout's (e.g. `git worktree add
// /tmp/before <commit>`, node_modules linked in).
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { exercisesDir, listExerciseSlugs } from "../src/cli/exercises.ts";
import { gradeInPage, openGraderPage, restartGrader, type GraderName } from "../e2e/support/grader-page.ts";
import { hasChromium, launchChromium } from "../e2e/support/site.ts";
import type { GradeMode } from "../src/grader/types.ts";
import "./raw-imports.ts";

/**
 * CPU time (user + system, ms) of this process's descendants (Chromium's processes, every thread): on a
 * machine shared with other work the wall time of the pool cannot show its cores, but its CPU time shows
 * what it spent beside one Worker.
 */
function chromiumCpuMs(): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set([process.pid]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, s] of stats) if (!mine.has(pid) && mine.has(s.ppid)) (mine.add(pid), (grown = true));
  }
  let ticks = 0;
  for (const pid of mine) if (pid !== process.pid) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** The issue's target for every exercise's Submit. */
const targetMs = 1500;

export interface SubmitFigure {
  slug: string;
  runs: number;
  /** One Worker alone: the baseline. */
  aloneMs: number;
  /** A Worker per core, a long grade spilling over to the runners (createBrowserGrader({ runners: "per-core" })). */
  poolMs: number;
  /** The same Workers with every grade spread from its first run (spillAfterMs 0). */
  spreadMs: number;
  /** Starting the per-core grader (iframe, Workers, bundle compile, lockdown) before the click. */
  warmMs: number;
  /** Chromium's CPU time during each Submit (every process and thread). */
  aloneCpuMs: number;
  poolCpuMs: number;
  spreadCpuMs: number;
  /**
   * Of the 1-Worker Submit, the time inside the runs (each run's wall time as its sandbox measured it, summed):
   * the grading itself. The rest is the page ↔ Worker messages, judging, progress and the results' trip back.
   */
  aloneInRunsMs: number;
  /** With `--after-run`: the 1-Worker Submit right after a Run of the same code (the Run's seeds reused). */
  afterRunMs?: number;
  /** With `--after-run`: the same with every grade spread (the site's grader): the Run warmed every Worker. */
  spreadAfterRunMs?: number;
  /** With `--baseline-root`: the same 1-Worker Submits by that checkout's grader. */
  baselineAloneMs?: number;
  baselineAfterRunMs?: number;
}

type GraderPageModule = typeof import("../e2e/support/grader-page.ts");
const best = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

export async function benchBrowserSubmit(print: (line: string) => void = console.log, options: { slugs?: string[]; mode?: GradeMode; afterRun?: boolean; rounds?: number; baselineRoot?: string } = {}): Promise<SubmitFigure[]> {
  if (!hasChromium) {
    print("browser Submit: skipped (no Chromium at /usr/bin/chromium: apt-get install -y chromium)");
    return [];
  }
  const mode = options.mode ?? "submit";
  const slugs = options.slugs ?? listExerciseSlugs();
  const rounds = Math.max(1, options.rounds ?? 1);
  // After the ?raw hook: the editor's compiler options come with the API types' text.
  const { emitWithMapLikeMonaco } = await import("../tests/support/monaco-emit.ts");
  const browser = await launchChromium();
  const figures: SubmitFigure[] = [];
  try {
    const page = await openGraderPage(browser);
    const thisPage = { openGraderPage, gradeInPage, restartGrader } as GraderPageModule;
    // The baseline checkout's grader, built from its own sources (its page module bundles them).
    const baseline = options.baselineRoot ? ((await import(pathToFileURL(join(resolve(options.baselineRoot), "e2e", "support", "grader-page.ts")).href)) as GraderPageModule) : undefined;
    const baselinePage = baseline ? await baseline.openGraderPage(browser) : undefined;
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    print(`browser ${mode === "submit" ? "Submit" : "Run"} (Chromium, ${cores} cores seen by the page; reference solutions; warm graders; target ≤ ${targetMs} ms)`);
    print(`  ${"exercise".padEnd(22)} ${"runs".padStart(5)} ${"1 Worker".padStart(9)} ${"in runs".padStart(8)} ${"per core".padStart(9)} ${"ratio".padStart(6)} ${"spread".padStart(9)} ${"ratio".padStart(6)} ${"warm".padStart(8)}   CPU time: 1 Worker, per core, spread`);
    for (const slug of slugs) {
      const source = readFileSync(join(exercisesDir, slug, ".meta", "solution.ts"), "utf8");
      const { js: emittedJs, map: sourceMap } = emitWithMapLikeMonaco(source);
      const submit = async (name: GraderName, on = { page, grader: thisPage }) => {
        const warmMs = await on.grader.restartGrader(on.page, name);
        const cpuBefore = chromiumCpuMs();
        const outcome = await on.grader.gradeInPage(on.page, { slug, source, emittedJs, sourceMap, mode }, undefined, name);
        const cpuMs = chromiumCpuMs() - cpuBefore;
        if (outcome.kind !== "results") throw new Error(`${slug}: ${name} gave ${JSON.stringify(outcome).slice(0, 300)}`);
        const inRunsMs = outcome.results.tests.reduce((sum, t) => sum + (t.metrics?.wallMs ?? 0), 0);
        return { warmMs, cpuMs, inRunsMs, ms: outcome.ms, hash: outcome.results.historyHash, runs: outcome.results.tests.length, status: outcome.results.status, message: outcome.results.message };
      };
      // As a learner does: Run, then Submit the same code (src/grader/run-cache.ts keeps the Run's runs).
      const submitAfterRun = async (on = { page, grader: thisPage }, name: GraderName = "graderAlone") => {
        await on.grader.restartGrader(on.page, name);
        await on.grader.gradeInPage(on.page, { slug, source, emittedJs, sourceMap, mode: "run" }, undefined, name);
        return on.grader.gradeInPage(on.page, { slug, source, emittedJs, sourceMap, mode }, undefined, name);
      };
      const onBaseline = baseline && baselinePage ? { page: baselinePage, grader: baseline } : undefined;
      let alone!: Awaited<ReturnType<typeof submit>>;
      let pool!: Awaited<ReturnType<typeof submit>>;
      let spread!: Awaited<ReturnType<typeof submit>>;
      let afterRunMs: number | undefined;
      let spreadAfterRunMs: number | undefined;
      let baselineAloneMs: number | undefined;
      let baselineAfterRunMs: number | undefined;
      for (let round = 0; round < rounds; round++) {
        // The baseline's grade goes right before this checkout's, so a changing load weighs on both alike.
        if (onBaseline) {
          const before = await submit("graderAlone", onBaseline);
          if (before.status === "pass") baselineAloneMs = best(baselineAloneMs, before.ms);
        }
        const a = await submit("graderAlone");
        const p = await submit("grader");
        const w = await submit("graderSpread");
        // Each figure is the best of the rounds; the hashes and statuses are the first round's (they never differ).
        alone = round === 0 ? a : { ...alone, ms: Math.min(alone.ms, a.ms), cpuMs: Math.min(alone.cpuMs, a.cpuMs), inRunsMs: a.ms < alone.ms ? a.inRunsMs : alone.inRunsMs };
        pool = round === 0 ? p : { ...pool, ms: Math.min(pool.ms, p.ms), cpuMs: Math.min(pool.cpuMs, p.cpuMs), warmMs: Math.min(pool.warmMs, p.warmMs) };
        spread = round === 0 ? w : { ...spread, ms: Math.min(spread.ms, w.ms), cpuMs: Math.min(spread.cpuMs, w.cpuMs) };
        if (options.afterRun && mode === "submit") {
          if (onBaseline) {
            const before = await submitAfterRun(onBaseline);
            if (before.kind === "results" && before.results.status === "pass") baselineAfterRunMs = best(baselineAfterRunMs, before.ms);
          }
          const after = await submitAfterRun();
          if (after.kind !== "results" || (after.results.status === "pass" && alone.status === "pass" && after.results.historyHash !== alone.hash)) throw new Error(`${slug}: the Submit after a Run differs from a fresh one`);
          afterRunMs = best(afterRunMs, after.ms);
          const spreadAfter = await submitAfterRun(undefined, "graderSpread");
          if (spreadAfter.kind !== "results" || (spreadAfter.results.status === "pass" && alone.status === "pass" && spreadAfter.results.historyHash !== alone.hash)) throw new Error(`${slug}: the spread Submit after a Run differs from a fresh one`);
          spreadAfterRunMs = best(spreadAfterRunMs, spreadAfter.ms);
        }
      }
      // On a loaded machine a run can pass its wall-time budget: said, and the hashes are not compared then.
      const notPassed = [alone, pool, spread].find((g) => g.status !== "pass");
      if (notPassed) print(`  ${slug}: the reference did not pass (${notPassed.message?.slice(0, 160)})`);
      else if (alone.hash !== pool.hash || alone.hash !== spread.hash) throw new Error(`${slug}: the history hash differs between one Worker (${alone.hash}) and a Worker per core (${pool.hash}, spread ${spread.hash})`);
      const figure: SubmitFigure = {
        slug,
        runs: pool.runs,
        aloneMs: Math.round(alone.ms),
        poolMs: Math.round(pool.ms),
        spreadMs: Math.round(spread.ms),
        warmMs: Math.round(pool.warmMs),
        aloneCpuMs: alone.cpuMs,
        poolCpuMs: pool.cpuMs,
        spreadCpuMs: spread.cpuMs,
        aloneInRunsMs: Math.round(alone.inRunsMs),
        ...(afterRunMs !== undefined ? { afterRunMs: Math.round(afterRunMs) } : {}),
        ...(spreadAfterRunMs !== undefined ? { spreadAfterRunMs: Math.round(spreadAfterRunMs) } : {}),
        ...(baselineAloneMs !== undefined ? { baselineAloneMs: Math.round(baselineAloneMs) } : {}),
        ...(baselineAfterRunMs !== undefined ? { baselineAfterRunMs: Math.round(baselineAfterRunMs) } : {}),
      };
      figures.push(figure);
      const over = figure.spreadMs > targetMs ? "  over target" : "";
      print(`  ${slug.padEnd(22)} ${String(figure.runs).padStart(5)} ${`${figure.aloneMs} ms`.padStart(9)} ${`${Math.round((100 * figure.aloneInRunsMs) / Math.max(1, figure.aloneMs))}%`.padStart(8)} ${`${figure.poolMs} ms`.padStart(9)} ${`${(figure.aloneMs / figure.poolMs).toFixed(2)}×`.padStart(6)} ${`${figure.spreadMs} ms`.padStart(9)} ${`${(figure.aloneMs / figure.spreadMs).toFixed(2)}×`.padStart(6)} ${`${figure.warmMs} ms`.padStart(8)}   ${figure.aloneCpuMs} ms, ${figure.poolCpuMs} ms, ${figure.spreadCpuMs} ms${figure.afterRunMs !== undefined ? `; after a Run ${figure.afterRunMs} ms, spread ${figure.spreadAfterRunMs} ms` : ""}${over}`);
      if (options.baselineRoot) {
        const beside = (before: number | undefined, now: number | undefined) => (before === undefined || now === undefined ? "—" : `${before} → ${now} ms (${(before / now).toFixed(2)}×)`);
        print(`    baseline ${options.baselineRoot}: 1 Worker ${beside(figure.baselineAloneMs, figure.aloneMs)}${options.afterRun && mode === "submit" ? `; after a Run ${beside(figure.baselineAfterRunMs, figure.afterRunMs)}` : ""}`);
      }
    }
    const over = figures.filter((f) => f.spreadMs > targetMs);
    const load = loadavg()[0]!;
    if (rounds > 1) print(`  each figure the best of ${rounds} rounds`);
    print(`  ${over.length} of ${figures.length} over ${targetMs} ms spread, as the site grades${over.length ? ` (${over.map((f) => f.slug).join(", ")})` : ""}; same history hash all three ways for every exercise that passed`);
    print(`  load average ${load.toFixed(1)} on ${cpus().length} cores${load > cpus().length / 2 ? ": other work shares the machine, so every figure is longer than on an idle one (compare the ratios)" : ""}`);
  } finally {
    await browser.close();
  }
  return figures;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const valued = ["--mode", "--rounds", "--baseline-root"];
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const afterRun = argv.includes("--after-run");
  const slugs = argv.filter((arg, i) => arg !== "--after-run" && !valued.includes(arg) && !valued.includes(argv[i - 1]!));
  await benchBrowserSubmit(console.log, {
    slugs: slugs.length ? slugs : undefined,
    mode: value("--mode") as GradeMode | undefined,
    afterRun,
    rounds: value("--rounds") ? Number(value("--rounds")) : undefined,
    baselineRoot: value("--baseline-root"),
  });
}
