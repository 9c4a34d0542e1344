// Turns ```mermaid fences into diagrams before Expressive Code sees them.
//
// A diagram pre-rendered by `npm run diagrams` (src/diagrams/<hash>.json, see scripts/diagram-store.mjs)
// is inlined as SVG, once per theme; src/styles/custom.css shows the one matching Starlight's
// `:root[data-theme]`. The page then needs no diagram JavaScript, and the build still needs neither a
// browser nor the network. A diagram an author has just written has no file yet: it falls back to
// <pre class="mermaid">source</pre>, which src/scripts/mermaid.ts renders in the browser, so
// `npm run dev` shows it at once (and tests/diagrams.test.ts says to run `npm run diagrams`).
import { readDiagram } from "./diagram-store.mjs";

export default function remarkMermaid() {
  return (tree, file) => {
    walk(tree, !/\.md$/i.test(file?.path ?? ""));
  };
}

function walk(node, isMdx) {
  if (!node.children) return;
  node.children = node.children.map((child) => {
    if (child.type === "code" && child.lang === "mermaid") return diagramNode(child, isMdx);
    walk(child, isMdx);
    return child;
  });
}

/** The figure's HTML: both themes' SVGs as mermaid wrote them (each with its own <style>, scoped by its id). */
export function figureHtml(label, rendered) {
  const themed = (theme) => `<div class="diagram-theme" data-diagram-theme="${theme}">${rendered[theme]}</div>`;
  return `<figure class="diagram not-content" aria-label="${escapeAttribute(label)}">${themed("light")}${themed("dark")}</figure>`;
}

function escapeAttribute(text) {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
}

// The SVGs go in as an HTML string, for the browser to parse as it is. Turned into hast elements instead,
// Astro's MDX pipeline makes each SVG's <style> text a `set:html` prop, which Astro then prints as a
// literal attribute: the diagram loses its colours and lines. So in MDX the figure is
// <Fragment set:html="…"/> (what Astro's own static-HTML optimisation emits); in plain Markdown, whose
// pipeline passes raw HTML through, it is an mdast `html` node.
function diagramNode(code, isMdx) {
  const rendered = readDiagram(code.value);
  if (!rendered) return fallbackNode(code);
  const html = figureHtml(diagramLabel(code.value), rendered);
  if (!isMdx) return { type: "html", value: html, position: code.position };
  return {
    type: "mdxJsxFlowElement",
    name: "Fragment",
    attributes: [{ type: "mdxJsxAttribute", name: "set:html", value: html }],
    children: [],
    position: code.position,
  };
}

// Not yet rendered: a node type of our own (not "code"), emitted through mdast `data.hName` so it works
// for .md and .mdx alike. As a "code" node, mdast-util-to-hast would wrap it in pre > code and Expressive
// Code would turn it into a highlighted code block.
function fallbackNode(code) {
  return {
    type: "mermaidDiagram",
    position: code.position,
    data: {
      hName: "pre",
      hProperties: { className: ["mermaid"], dataMermaid: "" },
      hChildren: [{ type: "text", value: code.value }],
    },
  };
}

const KINDS = {
  sequenceDiagram: "Sequence diagram",
  flowchart: "Flowchart",
  graph: "Flowchart",
  classDiagram: "Class diagram",
  stateDiagram: "State diagram",
  "stateDiagram-v2": "State diagram",
  erDiagram: "Entity-relationship diagram",
  gantt: "Gantt chart",
  pie: "Pie chart",
  timeline: "Timeline",
};

/**
 * The figure's accessible name: the author's `accTitle` (and `accDescr`) when given, otherwise the kind
 * of diagram. The labels inside the SVG stay readable text either way.
 */
export function diagramLabel(source) {
  const title = /^\s*accTitle\s*:\s*(.+)$/m.exec(source)?.[1].trim();
  const description = /^\s*accDescr\s*:\s*(.+)$/m.exec(source)?.[1].trim();
  if (title) return description ? `${title}: ${description}` : title;
  const keyword = /^\s*([\w-]+)/.exec(source)?.[1] ?? "";
  return KINDS[keyword] ?? "Diagram";
}
