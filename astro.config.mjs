// @ts-check
import { fileURLToPath } from "node:url";
import { unified } from "@astrojs/markdown-remark";
import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";
import { readCourseOutline } from "./scripts/course.mjs";
import remarkMermaid from "./scripts/remark-mermaid.mjs";
import graderWorker from "./scripts/grader-worker-plugin.mjs";

const contentDir = fileURLToPath(new URL("./content/", import.meta.url));

/**
 * Where the site is served (.github/workflows/pages.yml sets both for GitHub Pages): CLUSTERLAB_BASE, the
 * folder under the domain ("/clusterlab/"; the root by default), and CLUSTERLAB_SITE, the public address
 * ("https://example.github.io"; none by default: the site is then served from wherever it is built).
 * Links of ours go through src/components/site-path.ts, Starlight's own follow `base`, and a lesson's
 * root-relative Markdown links are given the base by baseLinks below.
 */
const base = `/${(process.env.CLUSTERLAB_BASE ?? "").replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");
const site = process.env.CLUSTERLAB_SITE || undefined;

/**
 * A remark plugin: a lesson's link to "/caching/…" becomes "<base>caching/…", so lessons keep linking to
 * each other by their path on the site whatever folder the site is served from.
 * @returns {(tree: any) => void}
 */
function baseLinks() {
  /** @param {any} node */
  const visit = (node) => {
    if ((node.type === "link" || node.type === "definition") && typeof node.url === "string" && /^\/(?!\/)/.test(node.url)) node.url = base + node.url.slice(1);
    for (const child of node.children ?? []) visit(child);
  };
  return (tree) => {
    if (base !== "/") visit(tree);
  };
}

// One sidebar group per part folder, lessons in file-name order. Starlight takes each item's label
// from the lesson's `title`.
const sidebar = readCourseOutline(contentDir).map((part) => ({
  label: part.label,
  items: part.lessons.map((lesson) => ({ slug: lesson.id })),
}));

/**
 * Build warnings that say nothing about this site, dropped so that a real one stands out:
 * "use astro:head-inject" is a marker Astro itself puts in every MDX page's module and reads back; the
 * bundler notes it would not keep a module-level directive, which Astro does not need it to.
 * @type {NonNullable<NonNullable<import("vite").BuildEnvironmentOptions["rolldownOptions"]>["onLog"]>}
 */
function quietBuildLog(level, log, handler) {
  if (log.code === "MODULE_LEVEL_DIRECTIVE" && log.message.includes("astro:head-inject")) return;
  handler(level, log);
}

/**
 * Starlight adds @astrojs/sitemap unless an integration of that name is already there. By default the
 * site is served from wherever it is built (no public address, so no `site`), and a sitemap cannot be
 * made without one: it would only warn on every build. This stands in for it and does nothing.
 */
const noSitemap = { name: "@astrojs/sitemap", hooks: {} };

export default defineConfig({
  base,
  ...(site ? { site } : {}),
  // Astro 7 renders Markdown with Sätteri by default, which runs no remark plugins; MDX inherits this
  // processor, so the unified pipeline is what lets remark-mermaid run (before Expressive Code).
  markdown: {
    processor: unified({ remarkPlugins: [remarkMermaid, baseLinks] }),
  },
  vite: {
    // The grading Worker, bundled into one script the exercise page starts inside a sandboxed iframe.
    plugins: [graderWorker()],
    build: {
      // Monaco's TypeScript worker (6.9 MB) and editor core (2.7 MB) are large by nature, and mermaid's
      // layout engines are over a megabyte; each is fetched only by a page that needs it (the editor once
      // an exercise scrolls into view). The limit sits above them so a chunk that grows past that warns.
      chunkSizeWarningLimit: 8000,
      rolldownOptions: { onLog: quietBuildLog },
    },
  },
  integrations: [
    noSitemap,
    starlight({
      title: "clusterlab",
      description:
        "Learn and practise large-scale distributed system design: lessons, and exercises graded by a deterministic simulated cluster.",
      sidebar,
      // Lessons live in the top-level content/ folder, not src/content/docs/: Starlight's Markdown
      // transforms (asides, heading anchors) only run on folders it is told about.
      markdown: { processedDirs: ["./content"] },
      customCss: ["./src/styles/custom.css"],
      // src/pages/404.astro instead: Starlight's own 404 route looks for a "404" lesson in content/.
      disable404Route: true,
      components: {
        MarkdownContent: "./src/components/MarkdownContent.astro",
        // Starlight's skip link, plus one to the exercise on a lesson that embeds one.
        SkipLink: "./src/components/SkipLink.astro",
        // The header, plus Progress and the theme switch on a phone page that has no menu.
        Header: "./src/components/Header.astro",
        // The header's link to the progress page (exercise statuses kept in this browser).
        SocialIcons: "./src/components/HeaderLinks.astro",
      },
      // Everything is served from the site itself: no web fonts, no CDN, no remote images.
      pagefind: true,
      lastUpdated: false,
    }),
  ],
});
