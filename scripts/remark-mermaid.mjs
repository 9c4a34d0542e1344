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
  const themed = (theme) => ({
    type: "element",
    tagName: "div",
    properties: { className: ["diagram-theme"], dataDiagramTheme: theme },
    children: [{ type: "raw", value: rendered[theme] }],
  });
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
