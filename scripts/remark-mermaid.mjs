// Turns ```mermaid fences into <pre class="mermaid">source</pre> before Expressive Code sees them.
// The source stays as (escaped) text; src/scripts/mermaid.ts renders it in the browser, so the build
// needs neither a browser nor the network. The node is emitted through mdast `data.hName` so it works
// for .md and .mdx alike (MDX has no raw-HTML nodes).
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
