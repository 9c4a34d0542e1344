// End-to-end, the second half of issue 13 in Chromium: a runtime error names the learner's TypeScript
// line (the editor's emit carries a source map) and its link moves the cursor there; the run log shows a
// step's log lines before the error that ended it, with the messages around them; the message diagram
// hides clients, filters message types, jumps to the failure, and keeps 25+ lifelines apart (scrolling
// sideways, its time axis in place); "Run seed N again" adds that run's diagram under the results instead
// of replacing them; component runs chart their series. Screenshots in test-results/workbench-run-*.png,
// figures in test-results/workbench-runs-figures.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exerciseSelector, openEditor, readRepoFile, replaceCode, waitForOutcome } from "./support/exercise.ts";
import { openPage, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type Site } from "./support/site.ts";

const BROADCAST_LESSON = "messaging/message-queues/";
const ex = exerciseSelector("broadcast");
const figures: Record<string, number | string> = {};

warnIfSkipped("e2e/workbench-runs.test.ts");

// The reference, with a broadcast handler that logs (node.log and console.log, which goes to the same
// log and type-checks in the editor), sends the value on, then throws on value 20.
const THROWS = readRepoFile("exercises/broadcast/.meta/solution.ts").replace(
  `    node.reply(msg, { type: "broadcast_ok" });\n  });`,
  `    node.log(\`value \${value} sent on\`);
    console.log("about to answer", value);
    const extra = msg.body as unknown as { last?: { value: number } };
    if (value === 20) node.reply(msg, { type: "broadcast_ok", last: extra.last!.value });
    node.reply(msg, { type: "broadcast_ok" });
  });`,
);
const THROW_LINE = THROWS.split("\n").findIndex((l) => l.includes("extra.last!.value")) + 1;
const SLOW = readRepoFile("exercises/broadcast/.meta/wrong/slow-gossip.ts"); // fails stable-latency on 25 nodes

/** The line Monaco shows as the cursor's (its active line number). */
const cursorLine = (page: Page) => page.evaluate((s) => Number(document.querySelector(`${s} .line-numbers.active-line-number`)?.textContent ?? 0), ex);

describe.skipIf(skipBrowserTests)("failing runs in the workbench", () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });

  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "workbench-runs-figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log("workbench runs e2e figures:", figures);
    await site?.close();
  });

  test("a runtime TypeError names the TypeScript line, its link moves the cursor there, and the run log has the step in order", async () => {
    expect(THROWS).toContain("extra.last!.value");
    const { page, context, errors } = await openPage(site, BROADCAST_LESSON, { width: 1280, height: 900 });
    await openEditor(page, "broadcast");
    await replaceCode(page, "broadcast", THROWS);
    await page.locator(`${ex} [data-action="run"]`).click();
    expect(await waitForOutcome(page, "broadcast")).toBe("fail");
    const detail = page.locator(`${ex} [data-test-detail]`);
    await expect(detail.locator("code").first().innerText()).resolves.toBe("no-errors");
    const message = await detail.locator("[data-message]").innerText();
    expect(message).toMatch(new RegExp(`TypeError: Cannot read properties of undefined \\(reading 'value'\\) \\(at broadcast\\.ts:${THROW_LINE}:\\d+\\)`));
    const link = detail.locator("[data-message] [data-goto]").first();
    await expect(link.innerText()).resolves.toMatch(new RegExp(`^broadcast\\.ts:${THROW_LINE}:\\d+$`));
    const column = Number((await link.getAttribute("data-goto"))!.split(":")[1]);
    expect(THROWS.split("\n")[THROW_LINE - 1]!.slice(column - 1)).toMatch(/^(\.value|value|last|extra)/);
    figures.runtimeErrorLine = THROW_LINE;
    figures.runtimeErrorColumn = column;

    // The cursor is elsewhere (the end of the pasted code); the link moves it and focuses the editor.
    expect(await cursorLine(page)).not.toBe(THROW_LINE);
    await link.click();
    await page.waitForFunction(({ s, line }) => Number(document.querySelector(`${s} .line-numbers.active-line-number`)?.textContent) === line, { s: ex, line: THROW_LINE });
    await expect(page.evaluate(() => document.activeElement?.closest(".monaco-editor") !== null)).resolves.toBe(true);
    await page.locator(`${ex} [data-workbench]`).screenshot({ path: join(SCREENSHOTS, "workbench-run-runtime-error.png") });

    // The run log: for the node that threw, the broadcast it received, its log line, the gossip it sent,
    // then the error, in that order, and the error's place is a link too.
    const log = detail.locator("[data-run-log]");
    await expect(log.getAttribute("open")).resolves.not.toBeNull();
    const kinds = await log.locator("[data-log-kind]").evaluateAll((spans) => spans.map((s) => ({ kind: (s as HTMLElement).dataset.logKind!, text: s.textContent ?? "" })));
    const errorAt = kinds.findIndex((k) => k.kind === "error");
    expect(errorAt).toBeGreaterThan(0);
    const where = (text: string) => /^\s*([\d.]+ ms)\s+(\S+)/.exec(text)?.slice(1, 3).join(" ");
    const step = kinds.filter((k) => where(k.text) === where(kinds[errorAt]!.text));
    const order = step.map((k) => k.kind);
    expect(order.indexOf("log")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("log")).toBeLessThan(order.indexOf("error"));
    expect(order.lastIndexOf("log")).toBeLessThan(order.indexOf("error"));
    if (order.includes("recv")) expect(order.indexOf("recv")).toBeLessThan(order.indexOf("log"));
    expect(kinds[errorAt - 1]!.kind).not.toBe("error");
    expect(kinds.slice(0, errorAt).some((k) => k.kind === "log" && /value 20 sent on/.test(k.text))).toBe(true);
    expect(step.some((k) => k.kind === "log" && /about to answer 20/.test(k.text)), "console.log's line in the run log").toBe(true);
    await expect(log.locator(".cl-runlog__error [data-goto]").first().innerText()).resolves.toMatch(new RegExp(`^broadcast\\.ts:${THROW_LINE}:`));
    figures.runLogLinesAroundError = step.length;
    await log.screenshot({ path: join(SCREENSHOTS, "workbench-run-log.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the diagram jumps to the failure, hides clients and filters message types (dark theme)", async () => {
    const { page, context, errors } = await openPage(site, BROADCAST_LESSON, { width: 1280, height: 900, colorScheme: "dark" });
    await openEditor(page, "broadcast");
    await replaceCode(page, "broadcast", THROWS);
    await page.locator(`${ex} [data-action="run"]`).click();
    expect(await waitForOutcome(page, "broadcast")).toBe("fail");
    const diagram = page.locator(`${ex} [data-message-diagram]`);
    await diagram.locator("svg.cl-diagram__plot").waitFor();
    const state = () =>
      diagram.evaluate((figure) => {
        const plot = figure.querySelector("svg.cl-diagram__plot")!;
        return {
          lanes: Number(plot.getAttribute("data-lanes")),
          arrows: Number(plot.getAttribute("data-arrows")),
          summary: figure.querySelector("[data-diagram-summary]")!.textContent!,
          position: figure.querySelector("output")!.textContent!,
          mark: figure.querySelectorAll("[data-failure-mark]").length,
          clientArrows: figure.querySelectorAll(".cl-diagram__msg--client").length,
        };
      });
    // Jump: the window moves to the first error's time, marked across the lanes.
    const jump = diagram.locator('[data-action="jump-to-failure"]');
    const at = Number(/\(([\d.]+) ms\)/.exec(await jump.innerText())![1]);
    await diagram.locator("select[data-zoom]").selectOption("100");
    await jump.click();
    await page.waitForFunction((s) => document.querySelector(`${s} [data-message-diagram] [data-failure-mark]`) !== null, ex);
    const jumped = await state();
    const [from, to] = jumped.position.split("–").map((t) => Number(t.replace(/[^\d.]/g, "")));
    expect(from).toBeLessThanOrEqual(at);
    expect(to).toBeGreaterThanOrEqual(at);
    figures.jumpToFailureMs = at;
    await diagram.screenshot({ path: join(SCREENSHOTS, "workbench-run-diagram-jump-dark.png") });

    // Whole run, then hide the clients: their lanes and arrows go.
    await diagram.locator("select[data-zoom]").selectOption({ index: (await diagram.locator("option").count()) - 1 });
    await page.waitForFunction((s) => document.querySelector(`${s} [data-time-slider]`)?.hasAttribute("disabled"), ex);
    const all = await state();
    expect(all.clientArrows).toBeGreaterThan(0);
    const count = (summary: string) => Number(/^([\d,]+) of/.exec(summary)![1]!.replaceAll(",", ""));
    // Filter out the most frequent type: fewer messages, and the summary says a type is hidden.
    await diagram.locator("[data-diagram-filters] summary").click();
    const type = diagram.locator("[data-message-type]").first();
    await type.uncheck();
    await page.waitForFunction((s) => /1 of \d+ message types hidden/.test(document.querySelector(`${s} [data-diagram-summary]`)?.textContent ?? ""), ex);
    expect(count((await state()).summary)).toBeLessThan(count(all.summary));
    await type.check();
    // Hide the clients: their lanes and arrows go.
    await diagram.locator("[data-show-clients]").uncheck();
    await page.waitForFunction((s) => /clients hidden/.test(document.querySelector(`${s} [data-diagram-summary]`)?.textContent ?? ""), ex);
    const noClients = await state();
    expect(noClients.lanes).toBeLessThan(all.lanes);
    expect(noClients.clientArrows).toBe(0);
    await diagram.screenshot({ path: join(SCREENSHOTS, "workbench-run-diagram-filtered-dark.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("'Run seed N again' adds the run's diagram under the results; 25+ lifelines keep their spacing and scroll sideways", async () => {
    const { page, context, errors } = await openPage(site, BROADCAST_LESSON, { width: 1280, height: 900 });
    await openEditor(page, "broadcast");
    await replaceCode(page, "broadcast", SLOW);
    await page.locator(`${ex} [data-action="run"]`).click();
    expect(await waitForOutcome(page, "broadcast")).toBe("fail");
    const seedsBefore = await page.locator(`${ex} .cl-seed`).count();
    const overview = await page.locator(`${ex} [data-verdict]`).innerText();
    await page.locator(`${ex} [data-task-result="efficiency"] .cl-seed[data-seed="1"]`).click();
    await page.locator(`${ex} [data-action="replay-run"]`).click();
    const diagram = page.locator(`${ex} [data-test-detail] [data-message-diagram]`);
    await diagram.locator("svg.cl-diagram__plot").waitFor({ timeout: 60_000 });
    // The overview stayed: same verdict, every seed still there, the same seed selected.
    await expect(page.locator(`${ex} .cl-seed`).count()).resolves.toBe(seedsBefore);
    await expect(page.locator(`${ex} [data-verdict]`).innerText()).resolves.toBe(overview);
    await expect(page.locator(`${ex} [data-task-result="efficiency"] .cl-seed[data-seed="1"]`).getAttribute("aria-pressed")).resolves.toBe("true");
    await expect(page.evaluate((s) => document.activeElement === document.querySelector(`${s} [data-message-diagram]`), ex)).resolves.toBe(true);
    // Another seed and back: the replayed diagram is still there.
    await page.locator(`${ex} [data-task-result="many-nodes"] .cl-seed`).first().click();
    await page.locator(`${ex} [data-task-result="efficiency"] .cl-seed[data-seed="1"]`).click();
    await diagram.locator("svg.cl-diagram__plot").waitFor();

    const layout = await diagram.evaluate((figure) => {
      const canvas = figure.querySelector<HTMLElement>(".cl-diagram__canvas")!;
      const plot = canvas.querySelector("svg.cl-diagram__plot")!;
      const labels = Array.from(plot.querySelectorAll("[data-lane]")).map((t) => t.getBoundingClientRect());
      const overlaps = labels.filter((b, i) => i > 0 && b.left < labels[i - 1]!.right).length;
      const fonts = labels.length ? parseFloat(getComputedStyle(plot.querySelector("[data-lane]")!).fontSize) : 0;
      return { lanes: Number(plot.getAttribute("data-lanes")), gap: Number(plot.getAttribute("data-lane-gap")), canvasWidth: canvas.clientWidth, scrollWidth: canvas.scrollWidth, overlaps, fontPx: fonts };
    });
    expect(layout.lanes).toBeGreaterThanOrEqual(25);
    expect(layout.gap).toBeGreaterThanOrEqual(52);
    expect(layout.scrollWidth).toBeGreaterThan(layout.canvasWidth);
    expect(layout.overlaps).toBe(0);
    expect(layout.fontPx).toBeGreaterThanOrEqual(11);
    figures.lifelines25Nodes = layout.lanes;
    figures.lifelineSpacingPxAt25Nodes = layout.gap;
    figures.diagramCanvasWidthPx = layout.canvasWidth;
    figures.diagramScrollWidthPx = layout.scrollWidth;
    await diagram.screenshot({ path: join(SCREENSHOTS, "workbench-run-diagram-25-nodes.png") });
    // Scrolled to the far right, the time axis is still at the canvas's left edge.
    const axis = await diagram.evaluate((figure) => {
      const canvas = figure.querySelector<HTMLElement>(".cl-diagram__canvas")!;
      canvas.scrollLeft = canvas.scrollWidth;
      return new Promise<number>((done) => requestAnimationFrame(() => done(Math.abs(canvas.querySelector("svg.cl-diagram__axis")!.getBoundingClientRect().left - canvas.getBoundingClientRect().left))));
    });
    expect(axis).toBeLessThanOrEqual(2);
    await diagram.screenshot({ path: join(SCREENSHOTS, "workbench-run-diagram-25-nodes-scrolled.png") });

    // On a phone the 25 lanes keep the same spacing and scroll inside the canvas, not the page.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction((s) => {
      const canvas = document.querySelector(`${s} [data-test-detail] .cl-diagram__canvas`);
      return canvas !== null && canvas.clientWidth < 360;
    }, ex);
    await page.waitForTimeout(100); // the redraw after the resize
    await expect(diagram.locator("svg.cl-diagram__plot").getAttribute("data-lane-gap").then(Number)).resolves.toBeGreaterThanOrEqual(52);
    await expect(page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).resolves.toBeLessThanOrEqual(0);
    await diagram.scrollIntoViewIfNeeded();
    await diagram.screenshot({ path: join(SCREENSHOTS, "workbench-run-diagram-phone.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [slug, lesson, titles] of [
    ["rate-limiter", "architectures/resilience-patterns/", ["Admitted per second", "Admitted per second, client-1"]],
    ["circuit-breaker", "architectures/resilience-patterns/", ["Calls reaching the downstream per second"]],
    ["load-balancer", "load-balancing/algorithms/", ["Requests per server", "Utilisation per server"]],
    ["consistent-hashing", "data/sharding-and-federation/", ["Keys per node"]],
  ] as const) {
    test(`${slug}: the component panel charts the run's series`, async () => {
      const { page, context, errors } = await openPage(site, lesson, { width: 1280, height: 900 });
      await openEditor(page, slug);
      await replaceCode(page, slug, readRepoFile(`exercises/${slug}/.meta/solution.ts`));
      await page.locator(`${exerciseSelector(slug)} [data-action="run"]`).click();
      expect(["pass", "fail"]).toContain(await waitForOutcome(page, slug, 90_000));
      const charts = page.locator(`${exerciseSelector(slug)} [data-series-charts] figure`);
      await charts.first().waitFor();
      const names = await charts.evaluateAll((all) => all.map((f) => f.getAttribute("data-chart") ?? ""));
      for (const title of titles) expect(names.some((n) => n.startsWith(title)), `${slug}: ${names.join(", ")}`).toBe(true);
      // Chart text is at least 11 px as drawn.
      const smallest = await charts.evaluateAll((all) =>
        Math.min(...all.flatMap((f) => Array.from(f.querySelectorAll("svg text")).map((t) => parseFloat(getComputedStyle(t).fontSize) * ((t as SVGGraphicsElement).getScreenCTM()?.a ?? 1)))),
      );
      expect(smallest).toBeGreaterThanOrEqual(11);
      figures[`${slug}SeriesCharts`] = names.join(" | ");
      await page.locator(`${exerciseSelector(slug)} [data-component-figures]`).screenshot({ path: join(SCREENSHOTS, `workbench-run-series-${slug}.png`) });
      if (slug === "load-balancer") {
        // A run with a server outage splits each server's requests by the fault's windows.
        await page.locator(`${exerciseSelector(slug)} [data-task-result="failover"] .cl-seed`).first().click();
        const split = page.locator(`${exerciseSelector(slug)} [data-series-charts] figure[data-chart^="Requests per server, during and outside the fault window"]`);
        await split.waitFor();
        await expect(split.locator("rect").count()).resolves.toBeGreaterThan(4);
        await split.screenshot({ path: join(SCREENSHOTS, "workbench-run-series-load-balancer-outage.png") });
      }
      if (slug === "circuit-breaker") {
        // A run with an outage: the downstream's calls per second with the outage shaded, and latency per phase.
        await page.locator(`${exerciseSelector(slug)} [data-task-result="jitter"] .cl-seed`).first().click();
        const calls = page.locator(`${exerciseSelector(slug)} [data-series-charts] figure[data-chart="Calls reaching the downstream per second"]`);
        await calls.waitFor();
        await expect(calls.locator("rect.cl-chart__band").count()).resolves.toBe(1);
        const phases = page.locator(`${exerciseSelector(slug)} [data-figure-group="Latency before, during and after the fault"]`);
        await expect(phases.locator("figure svg rect").count()).resolves.toBe(6);
        const during = Number((await phases.locator('[data-metric="latencyDuringP99Ms"]').textContent())!.replace(/[^\d.]/g, ""));
        const before = Number((await phases.locator('[data-metric="latencyBeforeP99Ms"]').textContent())!.replace(/[^\d.]/g, ""));
        // Requests sent while the downstream was down waited for the breaker or a timeout.
        expect(during).toBeGreaterThan(before);
        figures.circuitBreakerPhaseP99 = `before ${before} ms, during ${during} ms`;
        await page.locator(`${exerciseSelector(slug)} [data-component-figures]`).screenshot({ path: join(SCREENSHOTS, "workbench-run-series-circuit-breaker-outage.png") });
        // The breaker's task: a 3 s outage in which the reference's breakers keep most calls away.
        await page.locator(`${exerciseSelector(slug)} [data-task-result="breaker"] .cl-seed`).first().click();
        const breaker = page.locator(`${exerciseSelector(slug)} [data-series-charts] figure[data-chart="Calls reaching the downstream per second"]`);
        await breaker.locator("rect.cl-chart__band").waitFor();
        const perSecond = await breaker.locator("rect.cl-chart__bar").evaluateAll((all) => all.map((r) => Number(/: ([\d,.]+)/.exec(r.querySelector("title")!.textContent!)![1]!.replace(/,/g, ""))));
        // The outage is seconds 3 to 5: once the breakers have opened (seconds 4 and 5), the downstream gets
        // under a third of what it got in a second before it.
        for (const s of [4, 5]) expect(perSecond[s]!, perSecond.join(", ")).toBeLessThan(perSecond[1]! / 3);
        figures.circuitBreakerCallsPerSec = perSecond.join(", ");
        await breaker.screenshot({ path: join(SCREENSHOTS, "workbench-run-series-circuit-breaker-calls.png") });
        const none = page.locator(`${exerciseSelector(slug)} [data-figure-group="Latency before, during and after the fault"] figure`);
        await expect(none.textContent()).resolves.toContain("during: none ok");
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
