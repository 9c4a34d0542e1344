// Where pre-rendered mermaid diagrams live and how they are keyed. One module shared by the renderer
// (scripts/render-diagrams.mjs), the build (scripts/remark-mermaid.mjs) and the test that holds them
// current (tests/diagrams.test.ts), so all three agree on what "the same diagram" means.
//
// A diagram's file is src/diagrams/<hash>.json = { light: "<svg…>", dark: "<svg…>" }, where the hash
// covers the mermaid version, every render setting and the diagram's source: change any of them and
// the old file no longer matches, so the test says to run `npm run diagrams`.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("..", import.meta.url));
export const contentDir = join(projectRoot, "content");
export const diagramDir = join(projectRoot, "src", "diagrams");

// Bump when the renderer's post-processing changes what it writes (ids, attributes): every file is
// then stale and gets rendered again.
const RENDERER_FORMAT = 2;

/** Starlight's body font stack (`--sl-font-system`; custom.css sets no `--sl-font`), read from its CSS. */
export function siteFontStack() {
  const css = readFileSync(join(projectRoot, "node_modules/@astrojs/starlight/dist/style/props.css"), "utf8");
  const match = /--sl-font-system:\s*([^;]+);/.exec(css);
  if (!match) throw new Error("could not find --sl-font-system in Starlight's props.css");
  return match[1].replace(/\s+/g, " ").trim();
}

function mermaidVersion() {
  return JSON.parse(readFileSync(join(projectRoot, "node_modules/mermaid/package.json"), "utf8")).version;
}

let cachedSettings;
/** Everything besides the source that decides a diagram's SVG. Part of its hash. */
export function renderSettings() {
  cachedSettings ??= {
    format: RENDERER_FORMAT,
    mermaid: mermaidVersion(),
    themes: { light: "default", dark: "dark" },
    securityLevel: "strict",
    fontFamily: siteFontStack(),
    fontSize: 16,
  };
  return cachedSettings;
}

/**
 * The source as the diagram sees it: line endings, trailing spaces, the indentation of a fence nested
 * in a list or component, and surrounding blank lines make no difference.
 */
export function normalizeSource(source) {
  const lines = source.replace(/\r\n?/g, "\n").split("\n").map((line) => line.trimEnd());
  while (lines.length && lines[0] === "") lines.shift();
  while (lines.length && lines.at(-1) === "") lines.pop();
  const indents = lines.filter((l) => l !== "").map((l) => /^[ \t]*/.exec(l)[0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join("\n");
}

/** The key of a diagram's file: 16 hex digits of sha256(settings + source). */
export function diagramHash(source) {
  return createHash("sha256")
    .update(JSON.stringify(renderSettings()))
    .update("\n")
    .update(normalizeSource(source))
    .digest("hex")
    .slice(0, 16);
}

export function diagramFile(hash) {
  return join(diagramDir, `${hash}.json`);
}

/** The pre-rendered SVGs of a diagram, or null when it has not been rendered (yet). */
export function readDiagram(source) {
  const file = diagramFile(diagramHash(source));
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Hashes that have a file in src/diagrams/. */
export function storedHashes() {
  if (!existsSync(diagramDir)) return [];
  return readdirSync(diagramDir)
    .filter((f) => /^[0-9a-f]{16}\.json$/.test(f))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/**
 * Every ```mermaid fence in a Markdown/MDX text (any indentation, ``` or ~~~, three or more).
 * A fence inside a longer fence (an example of Markdown shown as code) is skipped, as Markdown does.
 */
export function findMermaidBlocks(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks = [];
  let open = null; // { fence, indent, mermaid, body }
  for (const line of lines) {
    if (!open) {
      const start = /^([ \t]*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (start) open = { fence: start[2], mermaid: start[3] === "mermaid", body: [] };
      continue;
    }
    const close = /^[ \t]*(`{3,}|~{3,})\s*$/.exec(line);
    if (close && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
      if (open.mermaid) blocks.push(normalizeSource(open.body.join("\n")));
      open = null;
    } else open.body.push(line);
  }
  return blocks;
}

/** content/**\/*.md(x), sorted, as { path (relative to the project), text }. */
export function contentFiles(dir = contentDir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...contentFiles(full));
    else if (/\.mdx?$/.test(entry.name)) out.push({ path: relative(projectRoot, full), text: readFileSync(full, "utf8") });
  }
  return out;
}

/** Every mermaid diagram in content/, with the lesson it is in and its hash. */
export function contentDiagrams() {
  return contentFiles().flatMap(({ path, text }) =>
    findMermaidBlocks(text).map((source) => ({ path, source, hash: diagramHash(source) })),
  );
}
