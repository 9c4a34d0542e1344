/**
 * The in-browser grader without the site: the page-side client bundled as the site bundles it (the Worker's
 * source inlined), served from one made-up origin with nothing else on it. The grader e2e test and the
 * browser Submit bench both drive it.
 */
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { bundleGraderWorker } from "../../scripts/grader-worker-plugin.mjs";
import type { GradeOutcome, GradeRequest } from "../../src/grader/types.ts";

export const graderOrigin = "http://grader.test";

/**
 * The page's script, with the Worker's source inlined: `window.grader`, a grader with a Worker per core
 * whose long grades spill over to the runners (createBrowserGrader({ runners: "per-core" })),
 * `window.graderSpread`, the same Workers with every grade spread from its first run (spillAfterMs 0), and
 * `window.graderAlone`, one Worker that runs every run itself.
 */
export async function graderPageScript(): Promise<string> {
  const worker = await bundleGraderWorker();
  const result = await build({
    stdin: {
      contents: `import { createBrowserGrader } from "./src/grader/client.ts"; window.grader = createBrowserGrader({ runners: "per-core" }); window.graderSpread = createBrowserGrader({ runners: "per-core", spillAfterMs: 0 }); window.graderAlone = createBrowserGrader();`,
      resolveDir: join(import.meta.dirname, "..", ".."),
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    write: false,
    plugins: [
      {
        name: "worker-source",
        setup(b) {
          b.onResolve({ filter: /^virtual:clusterlab\/grader-worker$/ }, () => ({ path: "worker", namespace: "virtual" }));
          b.onLoad({ filter: /.*/, namespace: "virtual" }, () => ({ contents: `export default ${JSON.stringify(worker.code)};`, loader: "js" }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/**
 * A page holding only the grader. Every other request (learner code trying the network) is answered 404 and
 * its URL handed to `offsite`.
 */
export async function openGraderPage(browser: Browser, options: { offsite?: (url: string) => void; pageError?: (message: string) => void } = {}): Promise<Page> {
  const script = await graderPageScript();
  const page = await browser.newPage();
  page.on("pageerror", (error) => options.pageError?.(error.message));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url === `${graderOrigin}/`) return route.fulfill({ contentType: "text/html", body: `<!doctype html><title>grader</title><script type="module">${script.replaceAll("</script", "<\\/script")}</script>` });
    options.offsite?.(url);
    return route.fulfill({ status: 404, body: "" });
  });
  await page.goto(`${graderOrigin}/`);
  await page.waitForFunction(() => "grader" in window);
  return page;
}

/** Which of the page's graders: a Worker per core (long grades spill over, or every grade spread), or one Worker alone. */
export type GraderName = "grader" | "graderSpread" | "graderAlone";

/** One grade in the page, with its wall time as the page saw it (from the call to the outcome). */
export async function gradeInPage(page: Page, request: GradeRequest, stopAfterMs?: number, name: GraderName = "grader"): Promise<GradeOutcome & { ms: number }> {
  return page.evaluate(
    async ({ request, stopAfterMs, name }) => {
      const controller = new AbortController();
      if (stopAfterMs) setTimeout(() => controller.abort(), stopAfterMs);
      const started = performance.now();
      const grader = (window as unknown as Record<string, { grade(r: unknown, o: unknown): Promise<GradeOutcome> }>)[name]!;
      const outcome = await grader.grade(request, { signal: controller.signal });
      return { ...outcome, ms: performance.now() - started };
    },
    { request, stopAfterMs, name },
  );
}

/** Starts a grader's iframe and Workers anew (as a freshly opened exercise page does), and waits for them. */
export async function restartGrader(page: Page, name: GraderName = "grader"): Promise<number> {
  return page.evaluate(async (name) => {
    const grader = (window as unknown as Record<string, { warm(): Promise<void>; dispose(): void }>)[name]!;
    grader.dispose();
    const started = performance.now();
    await grader.warm();
    return performance.now() - started;
  }, name);
}
