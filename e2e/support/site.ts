// What every end-to-end test file needs: Debian's Chromium (or a clear skip), the site built and served
// from dist/ by the same server as `npm start`, and pages that record console errors and anything
// fetched from outside localhost.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildSite, projectRoot } from "../../scripts/build-site.mjs";
import { serveStatic } from "../../scripts/serve.mjs";
import { chromiumPath, launchChromium as launchChromiumAt } from "../../scripts/chromium.mjs";

export const CHROMIUM: string = chromiumPath;
export const hasChromium = existsSync(CHROMIUM);
export const inCI = !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());
export const root = projectRoot as string;
export const SCREENSHOTS = join(root, "test-results");
/** Skip the browser tests on a machine without Chromium, except in CI where that is a failure. */
export const skipBrowserTests = !hasChromium && !inCI;

export function warnIfSkipped(file: string): void {
  if (!skipBrowserTests) return;
  const line = "=".repeat(78);
  console.warn(
    `\n${line}\n  SKIPPING ${file}: ${CHROMIUM} not found.\n` +
      `  These tests drive a real browser. Install Debian's Chromium and re-run:\n` +
      `    sudo apt-get update && sudo apt-get install -y chromium\n` +
      `    npx vitest run --project e2e\n` +
      `  (With CI=true a missing Chromium fails the run instead of skipping.)\n${line}\n`,
  );
}

// Everything the built site is made from. dist/ is rebuilt when any of it is newer than the last build,
// so the e2e files of one run share a build instead of each making its own.
const SOURCES = ["content", "src", "graders", "exercises", "scripts", "public", "astro.config.mjs", "package-lock.json"];
const STAMP = join(root, "dist", ".e2e-build-stamp");

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

async function ensureBuilt(): Promise<void> {
  const sourcesChanged = Math.max(...SOURCES.map((p) => newestMtime(join(root, p))));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs > sourcesChanged) return;
  await buildSite({ quiet: true });
  writeFileSync(STAMP, new Date().toISOString());
}

function assertChromium(): void {
  if (!hasChromium) {
    throw new Error(
      `CI is set but ${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` ` +
        `(.ci/run does this) so the end-to-end tests can run.`,
    );
  }
}

/** Debian's Chromium with the flags that work on these machines (never a downloaded browser). */
export async function launchChromium(): Promise<Browser> {
  assertChromium();
  return launchChromiumAt();
}

export interface Site {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the site if its sources changed, serves dist/ on a free port and launches Chromium. */
export async function startSite(): Promise<Site> {
  assertChromium(); // before the build: fail fast
  await ensureBuilt();
  const server = (await serveStatic({ root: join(root, "dist"), port: 0 })) as { url: string; close(): Promise<void> };
  const browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface OpenPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors, failed network requests and HTTP errors. */
  errors: string[];
  /** Requests that left localhost (data: and blob: URLs are local). */
  offsite: string[];
  /** Path of every local request, in order. */
  requests: string[];
}

/** Opens a page in a fresh context (no shared storage) and records what goes wrong. */
export async function openPage(
  site: Site,
  path: string,
  options: { colorScheme?: "light" | "dark"; width?: number; height?: number; context?: BrowserContext } = {},
): Promise<OpenPage> {
  const context =
    options.context ??
    (await site.browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      colorScheme: options.colorScheme ?? "light",
    }));
  const page = await context.newPage();
  const errors: string[] = [];
  const offsite: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.hostname !== "localhost" && url.hostname !== "127.0.0.1") offsite.push(request.url());
    else requests.push(url.pathname);
  });
  page.on("requestfailed", (request) => {
    // A blob: load is cancelled when its frame goes (the grader's iframe is removed on Stop): not network.
    if (/^(blob|data):/.test(request.url())) return;
    // A load the browser cancelled because the page navigated or reloaded meanwhile (a lazily loaded chunk
    // still in flight) is not a broken asset: a missing one answers 404, which the response handler records.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    errors.push(`requestfailed: ${request.url()} (${request.failure()?.errorText ?? "failed"})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(new URL(path, site.url).href, { waitUntil: "load" });
  return { page, context, errors, offsite, requests };
}

/** The JavaScript a page fetched, as a compressing server would send it: each script gzipped (level 6, as most servers do). */
export async function gzippedScriptBytes(site: Site, requests: string[]): Promise<{ files: number; bytes: number }> {
  const scripts = [...new Set(requests.filter((p) => p.endsWith(".js")))];
  const sizes = await Promise.all(scripts.map(async (p) => gzipSync(Buffer.from(await (await fetch(new URL(p, site.url))).arrayBuffer())).length));
  return { files: scripts.length, bytes: sizes.reduce((sum, bytes) => sum + bytes, 0) };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  targets: string[];
}

/** Runs axe-core (from node_modules, injected into the page: nothing fetched) on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const { source } = (await import("axe-core")).default as unknown as { source: string };
  await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  });
}
