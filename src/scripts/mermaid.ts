// Renders the <pre class="mermaid"> blocks that scripts/remark-mermaid.mjs leaves when a diagram has no
// pre-rendered SVG yet (an author just wrote it; `npm run diagrams` renders it for the built site).
// Pages whose diagrams are all pre-rendered have no such block, and never import mermaid: the import is
// dynamic and only runs when a block exists. The chunk Vite bundles comes from the site itself (no CDN).
// Fallback diagrams re-render when the reader switches Starlight's light/dark theme.

const SELECTOR = "pre.mermaid";
const sources = new WeakMap<HTMLElement, string>();
let renderCount = 0;
let rendering: Promise<void> = Promise.resolve();

function currentTheme(): "dark" | "default" {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "default";
}

async function renderAll(blocks: HTMLElement[]): Promise<void> {
  const { default: mermaid } = await import("mermaid");
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: currentTheme(),
    // A concrete font stack (not a CSS variable): mermaid measures label widths with it.
    fontFamily: getComputedStyle(document.body).fontFamily || "system-ui, sans-serif",
  });
  for (const block of blocks) {
    const source = sources.get(block) ?? block.textContent ?? "";
    sources.set(block, source);
    try {
      const { svg } = await mermaid.render(`mermaid-diagram-${++renderCount}`, source);
      block.innerHTML = svg;
      block.dataset.rendered = "true";
      block.removeAttribute("data-error");
    } catch (error) {
      // Keep the source visible and say why, instead of an empty box.
      block.textContent = source;
      block.dataset.error = error instanceof Error ? error.message : String(error);
      console.warn("clusterlab: a mermaid diagram failed to render", error);
    }
  }
}

function queueRender(blocks: HTMLElement[]): void {
  rendering = rendering.then(() => renderAll(blocks));
}

const blocks = Array.from(document.querySelectorAll<HTMLElement>(SELECTOR));
if (blocks.length > 0) {
  queueRender(blocks);
  let theme = currentTheme();
  new MutationObserver(() => {
    const next = currentTheme();
    if (next === theme) return;
    theme = next;
    queueRender(blocks);
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
}
