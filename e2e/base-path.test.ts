// End-to-end, issue 19 "Deploying the site": built for a base path and a public address (as the GitHub
// Pages workflow builds it), every page, link, script and style lives under the base: the home page, a
// lesson (its links to other lessons included), the exercises page and an exercise whose Run works.
// Screenshots in test-results/base-path-*.png, figures in test-results/base-path-figures.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serveStatic } from "../scripts/serve.mjs";
import { buildUnderBase } from "./support/base-build.ts";
import { exerciseSelector, openEditor, readRepoFile, replaceCode, waitForOutcome } from "./support/exercise.ts";
import { launchChromium, openPage, SCREENSHOTS, skipBrowserTests, warnIfSkipped, type Site } from "./support/site.ts";

const BASE = "/clusterlab/";
const SITE = "https://example.github.io";
const figures: Record<string, number | string> = {};

warnIfSkipped("e2e/base-path.test.ts");

/** Every address the page links to or loads from this server, as a path (fragments and other hosts left out). */
const localUrls = (page: Page) =>
  page.evaluate(() => {
    const attrs = [...document.querySelectorAll("a[href], link[href], script[src], img[src], iframe[src]")].map((el) => el.getAttribute("href") ?? el.getAttribute("src") ?? "");
    return attrs.filter((u) => u && !u.startsWith("#") && !/^[a-z]+:/i.test(u)).map((u) => new URL(u, location.href).pathname);
  });

describe.skipIf(skipBrowserTests)(`the site built for ${BASE}`, () => {
  let site: Site;

  beforeAll(async () => {
    const build = await buildUnderBase(BASE, SITE);
    figures.buildSeconds = build.seconds;
    // The build prints no warning (a reused build printed nothing: it was checked when it was made).
    expect(build.output.split("\n").filter((line) => /\[WARN\]|\bwarn(ing)?\b/i.test(line))).toEqual([]);
    const server = (await serveStatic({ root: build.serveRoot, port: 0 })) as { url: string; close(): Promise<void> };
    const browser = await launchChromium();
    site = { url: server.url, browser, close: async () => { await browser.close(); await server.close(); } };
  }, 900_000);

  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "base-path-figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log("base path e2e figures:", figures);
    await site?.close();
  });

  test("the home page, a lesson and the exercises page: every link and asset under the base, the canonical address on the site", async () => {
    const { page, context, errors, requests } = await openPage(site, BASE, { width: 1280, height: 900 });
    const home = await localUrls(page);
    expect(home.length).toBeGreaterThan(50);
    expect(home.filter((p) => !p.startsWith(BASE))).toEqual([]);
    figures.homeLocalLinks = home.length;
    await expect(page.locator('link[rel="canonical"]').getAttribute("href")).resolves.toBe(`${SITE}${BASE}`);

    // The first lesson, reached by its link on the home page.
    await page.locator(`a[href="${BASE}foundations/what-is-a-distributed-system/"]`).first().click();
    await page.waitForURL(`**${BASE}foundations/what-is-a-distributed-system/`);
    await expect(page.locator("h1").first().innerText()).resolves.toMatch(/distributed system/i);
    expect((await localUrls(page)).filter((p) => !p.startsWith(BASE))).toEqual([]);

    // A lesson's Markdown link to another lesson gets the base too.
    await page.goto(new URL(`${BASE}caching/cache-patterns/`, site.url).href);
    await expect(page.locator(`a[href="${BASE}caching/where-caches-live/#exercise-lru-cache"]`).count()).resolves.toBeGreaterThan(0);
    expect((await localUrls(page)).filter((p) => !p.startsWith(BASE))).toEqual([]);

    await page.goto(new URL(`${BASE}exercises/`, site.url).href);
    const rows = await page.locator("[data-exercise-row], tbody tr").count();
    expect(rows).toBeGreaterThan(10);
    expect((await localUrls(page)).filter((p) => !p.startsWith(BASE))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "base-path-exercises.png") });

    expect(requests.filter((p) => !p.startsWith(BASE))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("an exercise links to its reference page, generated from its definition: messages with their fields, error codes, tasks, scenarios, checks and budgets", async () => {
    const { page, context, errors } = await openPage(site, `${BASE}messaging/message-queues/`, { width: 1280, height: 900 });
    const link = page.locator(`${exerciseSelector("broadcast")} [data-exercise-reference-link]`);
    await expect(link.getAttribute("href")).resolves.toBe(`${BASE}exercises/broadcast/`);
    // Followed on a page of its own: a click would scroll the exercise into view and start its editor's
    // scripts, which the navigation then cancels (recorded as failed requests).
    const lessonErrors = errors;
    await context.close();
    const { page: refPage, context: refContext, errors: refErrors } = await openPage(site, `${BASE}exercises/broadcast/`, { width: 1280, height: 900 });
    const ref = refPage.locator('[data-exercise-reference="broadcast"]');
    // The workload's messages, as broadcast.ts declares them.
    const messages = await ref.locator("[data-reference-messages] tbody tr").allInnerTexts();
    expect(messages.join("\n")).toContain('{type: "broadcast", message: number}');
    expect(messages.join("\n")).toContain('{type: "read_ok", messages: number[]}');
    // Maelstrom's error table, from graders/protocol/errors.ts.
    await expect(ref.locator('[data-error-code="11"]').innerText()).resolves.toMatch(/temporarily-unavailable\s+yes/);
    await expect(ref.locator("[data-error-code]").count()).resolves.toBeGreaterThanOrEqual(10);
    // Every task with its checks and budgets, and each scenario's settings.
    const def = (await import("../exercises/broadcast/exercise.ts")).default;
    await expect(ref.locator("[data-reference-task]").count()).resolves.toBe(def.tasks.length);
    const last = def.tasks.at(-1)!;
    const budgeted = last.checks.find((c) => c.params && Object.keys(c.params).length > 0)!;
    const [param, value] = Object.entries(budgeted.params!)[0]!;
    await expect(ref.locator(`[data-reference-task="${last.id}"] [data-reference-check="${budgeted.name}"]`).innerText()).resolves.toContain(`${param} ${value.toLocaleString("en")}`);
    await expect(ref.locator('[data-reference-scenario="partitions"]').innerText()).resolves.toMatch(/faults\s+partitions/);
    // Back to the exercise from its reference.
    await expect(ref.locator("[data-reference-exercise-link]").getAttribute("href")).resolves.toBe(`${BASE}messaging/message-queues/#exercise-broadcast`);
    await refPage.screenshot({ path: join(SCREENSHOTS, "base-path-reference-broadcast.png"), fullPage: false });
    expect(refErrors).toEqual([]);
    await refContext.close();
    // Every exercise has one, a design exercise too (its prompt's request types instead of messages).
    const design = await openPage(site, `${BASE}exercises/url-shortener/`, { width: 1280, height: 900 });
    await expect(design.page.locator('[data-reference-system="design:url-shortener"]').innerText()).resolves.toMatch(/request types\s+resolve/);
    await expect(design.page.locator("[data-error-code]").count()).resolves.toBe(0);
    expect(design.errors).toEqual([]);
    await design.context.close();
    expect(lessonErrors).toEqual([]);
  });

  test("an exercise under the base: the editor loads, Run grades the reference and the pass links to the next exercise under the base", async () => {
    const lesson = `${BASE}foundations/what-is-a-distributed-system/`;
    const { page, context, errors, requests } = await openPage(site, lesson, { width: 1280, height: 900 });
    await openEditor(page, "echo");
    await replaceCode(page, "echo", readRepoFile("exercises/echo/.meta/solution.ts"));
    const started = Date.now();
    await page.locator(`${exerciseSelector("echo")} [data-action="run"]`).click();
    expect(await waitForOutcome(page, "echo", 60_000)).toBe("pass");
    figures.echoRunSeconds = (Date.now() - started) / 1000;
    const next = await page.locator(`${exerciseSelector("echo")} [data-next-exercise]`).getAttribute("href");
    expect(next!.startsWith(BASE)).toBe(true);
    figures.nextExerciseHref = next!;
    await page.locator(`${exerciseSelector("echo")} [data-verdict]`).screenshot({ path: join(SCREENSHOTS, "base-path-echo-pass.png") });
    // Everything the exercise fetched (the editor, its workers, the grader) came from under the base.
    expect(requests.filter((p) => !p.startsWith(BASE))).toEqual([]);
    figures.exerciseRequests = requests.length;
    expect(errors).toEqual([]);
    await context.close();
  });
});
