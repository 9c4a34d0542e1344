// Submit in the browser: every exercise's reference graded by the page's grader (sandboxed iframe, Workers,
// one-realm sandbox) in Debian's Chromium, as a learner's Submit does it, beside a baseline in the same run:
// the same grade by one Worker alone (as the site graded before runs were spread over a Worker per core).
// Each grade gets a fresh, warmed grader (the editor warms it when the page opens), so the figure is the
// wait after the click; the two graders alternate, so a changing load weighs on both alike.
// `node --no-node-snapshot bench/browser-submit.ts [--mode run|submit] [slug…]` runs it alone.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { exercisesDir, listExerciseSlugs } from "../src/cli/exercises.ts";
import { gradeInPage, openGraderPage, restartGrader, type GraderName } from "../e2e/support/grader-page.ts";
import { hasChromium, launchChromium } from "../e2e/support/site.ts";
import type { GradeMode } from "../src/grader/types.ts";
import "./raw-imports.ts";

/** The issue's target for every exercise's Submit. */
const targetMs = 1500;

export interface SubmitFigure {
  slug: string;
  runs: number;
  /** One Worker alone: the baseline. */
  aloneMs: number;
  /** The site's grader: runs spread over a Worker per core. */
  poolMs: number;
  /** Starting the site's grader (iframe, Workers, bundle compile, lockdown) before the click. */
  warmMs: number;
}

export async function benchBrowserSubmit(print: (line: string) => void = console.log, options: { slugs?: string[]; mode?: GradeMode } = {}): Promise<SubmitFigure[]> {
  if (!hasChromium) {
    print("browser Submit: skipped (no Chromium at /usr/bin/chromium: apt-get install -y chromium)");
    return [];
  }
  const mode = options.mode ?? "submit";
  const slugs = options.slugs ?? listExerciseSlugs();
  // After the ?raw hook: the editor's compiler options come with the API types' text.
  const { emitWithMapLikeMonaco } = await import("../tests/support/monaco-emit.ts");
  const browser = await launchChromium();
  const figures: SubmitFigure[] = [];
  try {
    const page = await openGraderPage(browser);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    print(`browser ${mode === "submit" ? "Submit" : "Run"} (Chromium, ${cores} cores seen by the page; reference solutions; warm graders; target ≤ ${targetMs} ms)`);
    print(`  ${"exercise".padEnd(22)} ${"runs".padStart(5)} ${"1 Worker".padStart(9)} ${"per core".padStart(9)} ${"ratio".padStart(6)} ${"warm".padStart(8)}`);
    for (const slug of slugs) {
      const source = readFileSync(join(exercisesDir, slug, ".meta", "solution.ts"), "utf8");
      const { js: emittedJs, map: sourceMap } = emitWithMapLikeMonaco(source);
      const submit = async (name: GraderName) => {
        const warmMs = await restartGrader(page, name);
        const outcome = await gradeInPage(page, { slug, source, emittedJs, sourceMap, mode }, undefined, name);
        if (outcome.kind !== "results") throw new Error(`${slug}: ${name} gave ${JSON.stringify(outcome).slice(0, 300)}`);
        if (outcome.results.status !== "pass") throw new Error(`${slug}: the reference did not pass in ${name}: ${outcome.results.message}`);
        return { warmMs, ms: outcome.ms, hash: outcome.results.historyHash, runs: outcome.results.tests.length };
      };
      const alone = await submit("graderAlone");
      const pool = await submit("grader");
      if (alone.hash !== pool.hash) throw new Error(`${slug}: the history hash differs between one Worker (${alone.hash}) and a Worker per core (${pool.hash})`);
      const figure: SubmitFigure = { slug, runs: pool.runs, aloneMs: Math.round(alone.ms), poolMs: Math.round(pool.ms), warmMs: Math.round(pool.warmMs) };
      figures.push(figure);
      const over = figure.poolMs > targetMs ? "  over target" : "";
      print(`  ${slug.padEnd(22)} ${String(figure.runs).padStart(5)} ${`${figure.aloneMs} ms`.padStart(9)} ${`${figure.poolMs} ms`.padStart(9)} ${`${(figure.aloneMs / figure.poolMs).toFixed(2)}×`.padStart(6)} ${`${figure.warmMs} ms`.padStart(8)}${over}`);
    }
    const over = figures.filter((f) => f.poolMs > targetMs);
    const load = loadavg()[0]!;
    print(`  ${over.length} of ${figures.length} over ${targetMs} ms${over.length ? ` (${over.map((f) => f.slug).join(", ")})` : ""}; same history hash both ways for every exercise`);
    print(`  load average ${load.toFixed(1)} on ${cpus().length} cores${load > cpus().length / 2 ? ": other work shares the machine, so every figure is longer than on an idle one (compare the ratios)" : ""}`);
  } finally {
    await browser.close();
  }
  return figures;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const modeAt = argv.indexOf("--mode");
  const mode = modeAt >= 0 ? (argv[modeAt + 1] as GradeMode) : undefined;
  const slugs = argv.filter((_, i) => modeAt < 0 || (i !== modeAt && i !== modeAt + 1));
  await benchBrowserSubmit(console.log, { slugs: slugs.length ? slugs : undefined, mode });
}
