// Every mermaid diagram in content/ has a current pre-rendered SVG file in src/diagrams/ (the build
// inlines it, so lesson pages ship no diagram JavaScript), and no file is left that nothing refers to.
// No browser here: the files are made by `npm run diagrams`, this only checks they match the lessons.
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  contentDiagrams,
  diagramFile,
  diagramHash,
  findMermaidBlocks,
  normalizeSource,
  projectRoot,
  storedHashes,
} from "../scripts/diagram-store.mjs";
import remarkMermaid, { diagramLabel, figureHtml } from "../scripts/remark-mermaid.mjs";
import { scopeIds } from "../scripts/render-diagrams.mjs";

const RUN = "run `npm run diagrams` and commit src/diagrams/";

interface Stored {
  light: string;
  dark: string;
}

function readStored(hash: string): Stored {
  return JSON.parse(readFileSync(diagramFile(hash), "utf8")) as Stored;
}

describe("pre-rendered diagrams", () => {
  const diagrams = contentDiagrams() as Array<{ path: string; source: string; hash: string }>;

  it("the lessons have diagrams to check", () => {
    expect(diagrams.length).toBeGreaterThan(10);
  });

  it("every mermaid block in content/ has its current SVGs", () => {
    const missing = diagrams
      .filter((d) => !existsSync(diagramFile(d.hash)))
      .map((d) => `${d.path}: diagram starting "${d.source.split("\n")[0]}" has no ${relative(projectRoot, diagramFile(d.hash))}`);
    expect(missing, `Diagrams changed or added without pre-rendering: ${RUN}.\n${missing.join("\n")}`).toEqual([]);
  });

  it("each file holds a light and a dark SVG whose ids belong to that diagram and theme", () => {
    for (const hash of storedHashes()) {
      const stored = readStored(hash);
      for (const theme of ["light", "dark"] as const) {
        const svg = stored[theme];
        const svgId = `diagram-${hash}-${theme}`;
        expect(svg, `${hash}.json ${theme}`).toMatch(new RegExp(`^<svg id="${svgId}"`));
        const foreign = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!).filter((id) => !id.startsWith(svgId));
        expect(foreign, `${hash}.json ${theme}: ids not scoped to the SVG (${RUN})`).toEqual([]);
      }
    }
  });

  it("no two inline SVGs share an id", () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const hash of storedHashes()) {
      const stored = readStored(hash);
      for (const theme of ["light", "dark"] as const) {
        for (const [, id] of stored[theme].matchAll(/\sid="([^"]+)"/g)) {
          if (seen.has(id!)) clashes.push(`${id} in ${seen.get(id!)} and ${hash}.json ${theme}`);
          seen.set(id!, `${hash}.json ${theme}`);
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it("no file in src/diagrams/ is an orphan", () => {
    const wanted = new Set(diagrams.map((d) => d.hash));
    const orphans = storedHashes().filter((hash) => !wanted.has(hash));
    expect(orphans, `No lesson uses these any more: ${RUN} (it deletes them).`).toEqual([]);
  });
});

describe("finding and keying diagrams", () => {
  it("finds mermaid fences at any indentation and skips one shown inside a longer fence", () => {
    const text = [
      "Intro",
      "```mermaid",
      "flowchart LR",
      "  A --> B",
      "```",
      "- a list item",
      "",
      "  ```mermaid",
      "  sequenceDiagram",
      "    A->>B: hi",
      "  ```",
      "````md",
      "```mermaid",
      "flowchart TB",
      "```",
      "````",
      "```ts",
      "const x = 1;",
      "```",
    ].join("\n");
    expect(findMermaidBlocks(text)).toEqual(["flowchart LR\n  A --> B", "sequenceDiagram\n  A->>B: hi"]);
  });

  it("whitespace around the source does not change the key, the source does", () => {
    const source = "flowchart LR\n  A --> B";
    expect(normalizeSource("\n  flowchart LR  \r\n    A --> B\n\n")).toBe(source);
    expect(diagramHash("  flowchart LR\n    A --> B\n")).toBe(diagramHash(source));
    expect(diagramHash("flowchart LR\n  A --> C")).not.toBe(diagramHash(source));
    expect(diagramHash(source)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("scopes every id in an SVG to the SVG and rewrites references to it", () => {
    const svg =
      '<svg id="d-1"><defs><marker id="arrowhead"/><marker id="d-1_ok"/></defs>' +
      '<line marker-end="url(#arrowhead)"/><use href="#arrowhead"/><use xlink:href="#d-1_ok"/></svg>';
    expect(scopeIds(svg, "d-1")).toBe(
      '<svg id="d-1"><defs><marker id="d-1-arrowhead"/><marker id="d-1_ok"/></defs>' +
        '<line marker-end="url(#d-1-arrowhead)"/><use href="#d-1-arrowhead"/><use xlink:href="#d-1_ok"/></svg>',
    );
  });
});

describe("remark-mermaid", () => {
  type Node = { type: string; lang?: string; value?: string; name?: string; attributes?: any[]; children?: Node[]; data?: Record<string, any> };
  const transform = remarkMermaid() as (tree: Node, file?: { path: string }) => void;
  const run = (value: string, path = "content/x.mdx"): Node => {
    const tree: Node = { type: "root", children: [{ type: "code", lang: "mermaid", value }] };
    transform(tree, { path });
    return tree.children![0]!;
  };
  const firstDiagram = () => (contentDiagrams() as Array<{ source: string; hash: string }>)[0]!;

  it("inlines a pre-rendered diagram in MDX as a labelled figure holding both themes' SVGs", () => {
    const diagram = firstDiagram();
    const stored = readStored(diagram.hash);
    const node = run(diagram.source);
    expect(node.type).toBe("mdxJsxFlowElement");
    expect(node.name).toBe("Fragment");
    const html = node.attributes!.find((a) => a.name === "set:html")!.value as string;
    expect(html).toBe(figureHtml(diagramLabel(diagram.source), stored));
    expect(html).toMatch(/^<figure class="diagram not-content" aria-label="[^"]+">/);
    expect(html).toContain(`<div class="diagram-theme" data-diagram-theme="light">${stored.light}</div>`);
    expect(html).toContain(`<div class="diagram-theme" data-diagram-theme="dark">${stored.dark}</div>`);
  });

  it("inlines the same figure as raw HTML in plain Markdown", () => {
    const diagram = firstDiagram();
    const node = run(diagram.source, "content/x.md");
    expect(node).toMatchObject({ type: "html", value: figureHtml(diagramLabel(diagram.source), readStored(diagram.hash)) });
  });

  it("escapes the label in the figure's attribute", () => {
    expect(figureHtml('A "quoted" <b> & co', { light: "<svg/>", dark: "<svg/>" })).toContain(
      'aria-label="A &quot;quoted&quot; &lt;b> &amp; co"',
    );
  });

  it("falls back to <pre class=mermaid> for a diagram not rendered yet", () => {
    const source = "flowchart LR\n  Unrendered --> Diagram";
    const node = run(source);
    expect(node.data!.hName).toBe("pre");
    expect(node.data!.hProperties.className).toEqual(["mermaid"]);
    expect(node.data!.hChildren).toEqual([{ type: "text", value: source }]);
  });

  it("labels a figure with accTitle when given, otherwise with its kind", () => {
    expect(diagramLabel("sequenceDiagram\n  accTitle: Checkout\n  A->>B: pay")).toBe("Checkout");
    expect(diagramLabel("flowchart LR\n  accTitle: Tiers\n  accDescr: web to db\n  A-->B")).toBe("Tiers: web to db");
    expect(diagramLabel("sequenceDiagram\n  A->>B: pay")).toBe("Sequence diagram");
    expect(diagramLabel("mindmap\n  root")).toBe("Diagram");
  });
});
