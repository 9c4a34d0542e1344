// `npm run diagrams`: renders every ```mermaid block in content/ to SVG, once per theme, and writes
// src/diagrams/<hash>.json = { light, dark } (see scripts/diagram-store.mjs for the key). The build
// inlines these files (scripts/remark-mermaid.mjs), so lesson pages ship no diagram JavaScript and the
// build itself still needs no browser. Only diagrams without a current file are rendered (`npm run
// diagrams -- --force` renders all); files no diagram refers to any more are deleted.
//
// Rendering uses Debian's Chromium through playwright-core (never a downloaded browser) and the mermaid
// package from node_modules, served to the page by request interception: nothing reaches the network.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { contentDiagrams, diagramDir, diagramFile, renderSettings, storedHashes } from "./diagram-store.mjs";

const ORIGIN = "http://diagrams.invalid";
const mermaidDist = join(import.meta.dirname, "..", "node_modules", "mermaid", "dist");

const PAGE = (fontFamily, fontSize) => `<!doctype html>
<html><head><meta charset="utf-8"><style>body { font-family: ${fontFamily}; font-size: ${fontSize}px; }</style></head>
<body><script type="module">
  import mermaid from "${ORIGIN}/mermaid/mermaid.esm.min.mjs";
  // Some shapes draw their outline with roughjs, which draws random wobbles: seed both it and
  // Math.random afresh for every diagram, so the same source gives the same bytes.
  const seededRandom = (seed) => () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  window.renderDiagram = async (id, source, theme, settings) => {
    Math.random = seededRandom(1);
    mermaid.initialize({
      handDrawnSeed: 1,
      startOnLoad: false,
      theme,
      securityLevel: settings.securityLevel,
      fontFamily: settings.fontFamily,
      fontSize: settings.fontSize,
      deterministicIds: true,
      deterministicIDSeed: id,
    });
    const { svg } = await mermaid.render(id, source);
    return svg;
  };
  // The smallest text of an SVG drawn at its natural size (viewBox units = CSS px), in px: SVG text and
  // the HTML labels mermaid puts in foreignObjects alike.
  window.smallestFontPx = (svgText) => {
    const box = document.createElement("div");
    box.innerHTML = svgText;
    const svg = box.querySelector("svg");
    const width = svg.viewBox.baseVal.width;
    box.style.width = width + "px";
    svg.style.maxWidth = "none";
    svg.setAttribute("width", String(width));
    document.body.append(box);
    const unit = svg.getScreenCTM().a;
    let smallest = Infinity;
    for (const el of svg.querySelectorAll("text, tspan, foreignObject *")) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
      if (!own) continue;
      const host = el instanceof SVGGraphicsElement ? el : el.closest("foreignObject");
      const scale = (host.getScreenCTM()?.a ?? unit) / unit;
      smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize) * scale);
    }
    box.remove();
    return Number.isFinite(smallest) ? smallest : 0;
  };
  window.mermaidReady = true;
</script></body></html>`;

const MIME = { ".mjs": "text/javascript", ".js": "text/javascript", ".html": "text/html" };

async function openRenderer(browser, settings) {
  const page = await browser.newPage();
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort(); // nothing leaves this machine
    if (url.pathname === "/") {
      return route.fulfill({ contentType: MIME[".html"], body: PAGE(settings.fontFamily, settings.fontSize) });
    }
    if (url.pathname.startsWith("/mermaid/") && !url.pathname.includes("..")) {
      const file = join(mermaidDist, url.pathname.slice("/mermaid/".length));
      return route.fulfill({ contentType: MIME[extname(file)] ?? "application/octet-stream", body: readFileSync(file) });
    }
    return route.fulfill({ status: 404, body: "" });
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.mermaidReady === true, undefined, { timeout: 30_000 }).catch(() => {
    throw new Error(`mermaid did not load in Chromium: ${errors.join("; ") || "no error reported"}`);
  });
  return page;
}

/** No diagram text may be drawn smaller than this (px), however narrow the column it is shown in. */
export const MIN_DIAGRAM_FONT_PX = 11;

/**
 * Gives the SVG a minimum width at which its smallest text (`smallestPx` at the natural size) is still
 * MIN_DIAGRAM_FONT_PX: a wide diagram in a narrow column then scrolls sideways inside its figure instead
 * of shrinking its labels to 7 px. `--diagram-min-width` (custom.css) can ask for more, as phones do.
 */
export function withReadableMinWidth(svg, smallestPx) {
  const viewBox = /\sviewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"/.exec(svg);
  if (!viewBox || !(smallestPx > 0)) return svg;
  const minWidth = Math.ceil((Number(viewBox[1]) * (MIN_DIAGRAM_FONT_PX + 0.1)) / smallestPx);
  const rule = `min-width: max(var(--diagram-min-width, 0px), ${minWidth}px);`;
  return svg.replace(/^<svg([^>]*?)\sstyle="([^"]*)"/, (_, attrs, style) => `<svg${attrs} style="${style.trim()} ${rule}"`);
}

/**
 * Gives every id inside an SVG the SVG's own id as prefix (mermaid leaves some unprefixed, such as a
 * sequence diagram's "arrowhead" marker), and rewrites the references to them. Two diagrams, or the
 * two themes of one, then never share an id on the page: a shared marker id would make the visible
 * SVG point at the hidden one's marker.
 */
export function scopeIds(svg, svgId) {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  const rename = new Map();
  for (const id of ids) if (id !== svgId && !id.startsWith(`${svgId}-`) && !id.startsWith(`${svgId}_`)) rename.set(id, `${svgId}-${id}`);
  if (rename.size === 0) return svg;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const names = [...rename.keys()].sort((a, b) => b.length - a.length).map(escape).join("|");
  return svg
    .replace(new RegExp(`(\\sid=")(${names})(")`, "g"), (_, a, id, b) => a + rename.get(id) + b)
    .replace(new RegExp(`((?:xlink:)?href="#)(${names})(")`, "g"), (_, a, id, b) => a + rename.get(id) + b)
    .replace(new RegExp(`(url\\(["']?#)(${names})(["']?\\))`, "g"), (_, a, id, b) => a + rename.get(id) + b);
}

async function main() {
  const started = performance.now();
  const settings = renderSettings();
  const diagrams = contentDiagrams();
  const wanted = new Map(diagrams.map((d) => [d.hash, d]));
  mkdirSync(diagramDir, { recursive: true });

  const stale = storedHashes().filter((hash) => !wanted.has(hash));
  for (const hash of stale) rmSync(diagramFile(hash));

  const fresh = new Set(storedHashes());
  const todo = [...wanted.values()].filter((d) => !fresh.has(d.hash) || process.argv.includes("--force"));
  if (todo.length > 0) {
    const browser = await launchChromium();
    try {
      const page = await openRenderer(browser, settings);
      for (const { hash, source, path } of todo) {
        const out = {};
        for (const [name, theme] of Object.entries(settings.themes)) {
          const id = `diagram-${hash}-${name}`;
          const svg = await page
            .evaluate(([id, source, theme, settings]) => window.renderDiagram(id, source, theme, settings), [id, source, theme, settings])
            .catch((error) => {
              throw new Error(`${path}: a mermaid diagram does not render (${name} theme): ${error.message}\n${source}`);
            });
          const smallest = await page.evaluate((text) => window.smallestFontPx(text), svg);
          out[name] = withReadableMinWidth(scopeIds(svg, id), smallest);
        }
        writeFileSync(diagramFile(hash), `${JSON.stringify(out, null, 1)}\n`);
      }
    } finally {
      await browser.close();
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `diagrams: ${wanted.size} in content/, ${todo.length} rendered, ${wanted.size - todo.length} already current, ` +
      `${stale.length} stale removed (${seconds} s)`,
  );
}

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  await main();
}
