// Turns ```mermaid fences into diagrams before Expressive Code sees them.
//
// A diagram pre-rendered by `npm run diagrams` (src/diagrams/<hash>.json, see scripts/diagram-store.mjs)
// is inlined as SVG, once per theme; src/styles/custom.css shows the one matching Starlight's
// `:root[data-theme]`. The page then needs no diagram JavaScript, and the build still needs neither a
// browser nor the network. A diagram an author has just written has no file yet: it falls back to
// <pre class="mermaid">source</pre>, which src/scripts/mermaid.ts renders in the browser, so
// `npm run dev` shows it at once (and tests/diagrams.test.ts says to run `npm run diagrams`).
//
// Nodes are emitted through mdast `data.hName`, so this works for .md and .mdx alike (MDX has no raw-HTML
// mdast nodes); the SVG text travels as a hast `raw` child, which the rehype-raw pass of Astro's Markdown
// and MDX pipelines parses into elements.
import { readDiagram } from "./diagram-store.mjs";

export default function remarkMermaid() {
  return (tree) => {
    walk(tree);
  };
}

function walk(node) {
  if (!node.children) return;
  node.children = node.children.map((child) => {
    if (child.type === "code" && child.lang === "mermaid") return diagramNode(child);
    walk(child);
    return child;
  });
}

// A node type of our own (not "code"): mdast-util-to-hast would otherwise wrap it in pre > code,
// and Expressive Code would turn it into a highlighted code block.
function diagramNode(code) {
  const rendered = readDiagram(code.value);
  if (!rendered) return fallbackNode(code);
  const themed = (theme) => {
    const { css, svg } = splitStyle(rendered[theme]);
    return {
      type: "element",
      tagName: "div",
      properties: { className: ["diagram-theme"], dataDiagramTheme: theme },
      children: [
        { type: "element", tagName: "style", properties: {}, children: [{ type: "text", value: css }] },
        { type: "raw", value: svg },
      ],
    };
  };
  return {
    type: "mermaidDiagram",
    position: code.position,
    data: {
      hName: "figure",
      hProperties: { className: ["diagram", "not-content"], ariaLabel: diagramLabel(code.value) },
      hChildren: [themed("light"), themed("dark")],
    },
  };
}

/**
 * Takes mermaid's <style> out of the SVG: Astro's MDX pipeline turns a <style>'s text into `set:html`,
 * which inside an <svg> comes out as a literal attribute and the diagram loses its colours and lines.
 * As an HTML <style> beside the SVG it works the same, since mermaid scopes every rule by the SVG's id.
 */
export function splitStyle(svg) {
  let css = "";
  const rest = svg.replace(/<style>([\s\S]*?)<\/style>/g, (_, text) => {
    css += decodeEntities(text);
    return "";
  });
  return { css, svg: rest };
}

// Inside an SVG the style's text is escaped markup (`a&gt;b`); an HTML <style> takes its text literally.
const NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function decodeEntities(text) {
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_, hex, dec, name) =>
    name ? NAMED[name.toLowerCase()] : String.fromCodePoint(parseInt(hex ?? dec, hex ? 16 : 10)),
  );
}

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
