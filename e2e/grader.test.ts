// The in-browser grader in real Chromium, without the editor: the page-side client, the sandboxed iframe,
// the Worker and its one-realm sandbox. The solution is emitted by Monaco's TypeScript, as in the editor.
// Checks: same verdicts and history hash as the CLI, Stop and the wall-time watchdog end a runaway
// solution and the next grade works, learner code reaches no network, and patched intrinsics change
// nothing.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exerciseSeeds, grade, type Results } from "../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../graders/sandbox/node/index.ts";
import type { GradeRequest } from "../src/grader/types.ts";
import { exercisesDir, loadExercise } from "../src/cli/exercises.ts";
import { emitLikeMonaco, emitWithMapLikeMonaco } from "../tests/support/monaco-emit.ts";

import { launchChromium, skipBrowserTests, warnIfSkipped } from "./support/site.ts";
import { gradeInPage as gradeInGraderPage, graderOrigin, openGraderPage, restartGrader } from "./support/grader-page.ts";

warnIfSkipped("e2e/grader.test.ts");
const origin = graderOrigin;

describe.skipIf(skipBrowserTests)("the in-browser grader in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const offsite: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openGraderPage(browser, { offsite: (url) => offsite.push(url), pageError: (message) => pageErrors.push(message) });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** The page's two pools: runs spilled to the runners after 300 ms, and spread from the first run (the site's). */
  const spilledAndSpread = ["grader", "graderSpread"] as const;
  const gradeInPage = (request: GradeRequest, stopAfterMs?: number) => gradeInGraderPage(page, request, stopAfterMs);

  async function cliResults(slug: string, file: string, seeds: number[]): Promise<Results> {
    const exercise = (await loadExercise(slug))!;
    const js = await transpileSolution(readFileSync(file, "utf8"), file);
    if ("errors" in js) throw new Error("does not compile");
    return grade({ exercise, solutionJs: js.js, solutionLabel: file, sandbox: createIsolatedVmSandbox(), seeds });
  }

  test("Submit on broadcast: every task and seed pass, with the CLI's history hash, spilled or spread over the Workers", async () => {
    const file = join(exercisesDir, "broadcast", ".meta", "solution.ts");
    const source = readFileSync(file, "utf8");
    const exercise = (await loadExercise("broadcast"))!;
    const cli = await cliResults("broadcast", file, exerciseSeeds(exercise));
    // "grader" spills over to its runners after 300 ms; "graderSpread" spreads from the first run, as the site does.
    for (const name of spilledAndSpread) {
      await restartGrader(page, name);
      const outcome = await gradeInGraderPage(page, { slug: "broadcast", source, emittedJs: emitLikeMonaco(source), mode: "submit" }, undefined, name);
      if (outcome.kind !== "results") throw new Error(`${name}: expected results, got ${JSON.stringify(outcome)}`);
      expect(outcome.results.status, name).toBe("pass");
      expect(outcome.results.tests.length, name).toBe(cli.tests.length);
      expect(outcome.results.tests.map((t) => `${t.name} ${t.seed} ${t.historyHash}`), name).toEqual(cli.tests.map((t) => `${t.name} ${t.seed} ${t.historyHash}`));
      expect(outcome.results.historyHash, name).toBe(cli.historyHash);
      console.info(`broadcast Submit in Chromium (${name}): ${outcome.results.tests.length} runs in ${Math.round(outcome.ms)} ms (warm worker)`);
    }
  }, 120_000);

  test("a failing Run names the check and seed, and carries the messages for the diagram", async () => {
    const source = readFileSync(join(exercisesDir, "broadcast", "starter.ts"), "utf8");
    const outcome = await gradeInPage({ slug: "broadcast", source, emittedJs: emitLikeMonaco(source), mode: "run" });
    if (outcome.kind !== "results") throw new Error(`expected results, got ${outcome.kind}`);
    expect(outcome.results.status, outcome.results.message).toBe("fail");
    const failing = outcome.failing!;
    expect(failing.test.status).toBe("fail");
    expect(failing.test.replay).toMatch(/--seed \d+ --scenario \d+/);
    expect(failing.nodeIds.length).toBeGreaterThan(0);
    expect(failing.clientIds).toContain("c1");
    expect(failing.trace.length).toBeGreaterThan(0);
  }, 60_000);

  test("an infinite loop is stopped by Stop, the page stays responsive, and the next grade works", async () => {
    const loop = `import type { Node } from "clusterlab";\nexport default function start(node: Node) { node.on("echo", () => { for (;;) {} }); }`;
    const pending = gradeInPage({ slug: "echo", source: loop, emittedJs: emitLikeMonaco(loop), mode: "run" }, 1500);
    // While the Worker spins, the page's own thread still answers at once.
    await page.waitForTimeout(700);
    const started = performance.now();
    const frames = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(2)))));
    expect(frames).toBe(2);
    expect(performance.now() - started).toBeLessThan(500);
    const stopped = await pending;
    expect(stopped.kind).toBe("stopped");
    const source = readFileSync(join(exercisesDir, "echo", ".meta", "solution.ts"), "utf8");
    const next = await gradeInPage({ slug: "echo", source, emittedJs: emitLikeMonaco(source), mode: "run" });
    expect(next.kind === "results" && next.results.status).toBe("pass");
  }, 60_000);

  test("learner code reaches no network and cannot change the grader's intrinsics", async () => {
    const source = [
      `import type { Node } from "clusterlab";`,
      `const realFetch = new Function("return typeof fetch === 'function' ? fetch : undefined")();`,
      `try { realFetch && realFetch("${origin}/leak").catch(() => {}); } catch {}`,
      `try { new Function("importScripts('${origin}/leak2')")(); } catch {}`,
      `try { JSON.stringify = () => "{}"; } catch {}`,
      `try { (Array.prototype as any).push = () => 0; } catch {}`,
      `export default function start(node: Node) {`,
      `  node.on("echo", (msg) => node.reply(msg, { type: "echo_ok", echo: msg.body.echo }));`,
      `}`,
    ].join("\n");
    const outcome = await gradeInPage({ slug: "echo", source, emittedJs: emitLikeMonaco(source), mode: "run" });
    expect(outcome.kind === "results" && outcome.results.status, JSON.stringify(outcome).slice(0, 600)).toBe("pass");
    expect(offsite).toEqual([]);
  }, 60_000);

  // The same shared-state corpus the unit tests run against both sandboxes, here in the real Worker after
  // its lockdown: every g-counter that keeps one total for the cluster must fail on convergence.
  test("no channel between nodes in the Worker's one realm", async () => {
    const channels = join(import.meta.dirname, "..", "tests", "fixtures", "channels");
    const files = readdirSync(channels).filter((f) => f.endsWith(".ts")).sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    // In the grading Worker, and in the runners as the site spreads its grades over them.
    for (const name of spilledAndSpread) {
      const verdicts: string[] = [];
      for (const file of files) {
        const source = readFileSync(join(channels, file), "utf8");
        const outcome = await gradeInGraderPage(page, { slug: "g-counter", source, emittedJs: emitLikeMonaco(source), mode: "run", scenario: 1 }, undefined, name);
        verdicts.push(`${file} ${outcome.kind === "results" ? `${outcome.results.status} ${outcome.results.tests[0]?.check}` : outcome.kind}`);
      }
      expect(verdicts, name).toEqual(files.map((f) => `${f} fail convergence`));
    }
  }, 120_000);

  test("learner code cannot post a forged outcome to the page", async () => {
    const forged = `{ type: "outcome", outcome: { kind: "results", results: { status: "pass", forged: true, tests: [] } } }`;
    const source = [
      `import type { Node } from "clusterlab";`,
      `const g: any = new Function("return this")();`,
      `for (const post of [g.postMessage, g.self?.postMessage, (globalThis as any).postMessage]) { try { post?.(${forged}); } catch {} }`,
      `export default function start(node: Node) {}`,
    ].join("\n");
    // In the grading Worker, and (spread from the first run, as the site grades) in a runner too.
    for (const name of spilledAndSpread) {
      const outcome = await gradeInGraderPage(page, { slug: "echo", source, emittedJs: emitLikeMonaco(source), mode: "run" }, undefined, name);
      expect(outcome.kind, name).toBe("results");
      if (outcome.kind === "results") {
        expect(outcome.results.status, name).toBe("fail");
        expect(outcome.results.tests.length, name).toBeGreaterThan(1);
        expect((outcome.results as unknown as { forged?: boolean }).forged, name).toBeUndefined();
      }
    }
  }, 60_000);

  // Chromium only logs a promise left rejected; both Node sandboxes end the run with it as the learner's
  // error. The Worker must too (its unhandledrejection listener), in the same words, at a node's top level
  // and in a handler, or a solution that leaves a failure unhandled passes in the browser alone.
  test("a promise left rejected is the learner's error, in the CLI's words", async () => {
    const fixtures = join(import.meta.dirname, "..", "tests", "fixtures", "bad");
    const exercise = (await loadExercise("echo"))!;
    const seeds = exerciseSeeds(exercise).slice(0, 2);
    for (const [file, status] of [["top-level-rejection.ts", "error"], ["handler-rejection.ts", "error"], ["unhandled-rejection.ts", "fail"]] as const) {
      const source = readFileSync(join(fixtures, file), "utf8");
      const { js: emittedJs, map: sourceMap } = emitWithMapLikeMonaco(source);
      const outcome = await gradeInPage({ slug: "echo", source, emittedJs, sourceMap, mode: "run" });
      if (outcome.kind !== "results") throw new Error(`${file}: expected results, got ${JSON.stringify(outcome).slice(0, 300)}`);
      const js = await transpileSolution(source, "echo.ts");
      if ("errors" in js) throw new Error(`${file} does not compile`);
      // The page labels the solution "echo.ts": so does the CLI here, so the located messages compare whole.
      const cli = (sandbox: ReturnType<typeof createIsolatedVmSandbox>) => grade({ exercise, solutionJs: js.js, sourceMap: js.map, solutionLabel: "echo.ts", sandbox, seeds });
      const verdicts = (results: Results) => results.tests.map((t) => `${t.status} ${t.message}`);
      const [isolated, oneRealm] = [await cli(createIsolatedVmSandbox()), await cli(createOneRealmIvmSandbox())];
      expect(outcome.results.status, file).toBe(status);
      expect(verdicts(outcome.results), file).toEqual(verdicts(oneRealm));
      expect(verdicts(outcome.results), file).toEqual(verdicts(isolated));
    }
  }, 120_000);

  // The Worker keeps the last solution's runs (src/grader/run-cache.ts): a Submit after a Run takes the Run's
  // seeds from there, and must give what a Submit in a fresh Worker gives.
  test("a Submit after a Run of the same code gives a fresh Submit's results", async () => {
    const source = readFileSync(join(exercisesDir, "g-counter", ".meta", "solution.ts"), "utf8");
    const request: GradeRequest = { slug: "g-counter", source, emittedJs: emitLikeMonaco(source), mode: "submit" };
    const verdicts = (outcome: Awaited<ReturnType<typeof gradeInPage>>) =>
      outcome.kind === "results" ? outcome.results.tests.map((t) => `${t.name} ${t.seed} ${t.status} ${t.historyHash} ${t.message}`) : [outcome.kind];
    await restartGrader(page);
    const fresh = await gradeInPage(request);
    await restartGrader(page);
    const run = await gradeInPage({ ...request, mode: "run" });
    const submitted = await gradeInPage(request);
    expect(run.kind === "results" && run.results.status).toBe("pass");
    expect(fresh.kind === "results" && fresh.results.status).toBe("pass");
    expect(verdicts(submitted)).toEqual(verdicts(fresh));
    expect(submitted.kind === "results" && submitted.results.historyHash).toBe(fresh.kind === "results" && fresh.results.historyHash);
  }, 120_000);

  test("the page itself raised no errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
