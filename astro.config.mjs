// @ts-check
import { fileURLToPath } from "node:url";
import { unified } from "@astrojs/markdown-remark";
import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";
import { readCourseOutline } from "./scripts/course.mjs";
import remarkMermaid from "./scripts/remark-mermaid.mjs";
import graderWorker from "./scripts/grader-worker-plugin.mjs";

const contentDir = fileURLToPath(new URL("./content/", import.meta.url));

// One sidebar group per part folder, lessons in file-name order. Starlight takes each item's label
// from the lesson's `title`.
const sidebar = readCourseOutline(contentDir).map((part) => ({
  label: part.label,
  items: part.lessons.map((lesson) => ({ slug: lesson.id })),
}));

export default defineConfig({
  // Astro 7 renders Markdown with Sätteri by default, which runs no remark plugins; MDX inherits this
  // processor, so the unified pipeline is what lets remark-mermaid run (before Expressive Code).
  markdown: {
    processor: unified({ remarkPlugins: [remarkMermaid] }),
  },
  vite: {
    // The grading Worker, bundled into one script the exercise page starts inside a sandboxed iframe.
    plugins: [graderWorker()],
    // Mermaid's layout engines (elk, cytoscape) are large chunks, but each is fetched only by a page
    // whose diagram uses it; the warning would fire on every build for nothing.
    build: { chunkSizeWarningLimit: 1600 },
  },
  integrations: [
    starlight({
      title: "clusterlab",
      description:
        "Learn and practise large-scale distributed system design: lessons, and exercises graded by a deterministic simulated cluster.",
      sidebar,
      // Lessons live in the top-level content/ folder, not src/content/docs/: Starlight's Markdown
      // transforms (asides, heading anchors) only run on folders it is told about.
      markdown: { processedDirs: ["./content"] },
      customCss: ["./src/styles/custom.css"],
      components: {
        MarkdownContent: "./src/components/MarkdownContent.astro",
        // The header's link to the progress page (exercise statuses kept in this browser).
        SocialIcons: "./src/components/HeaderLinks.astro",
      },
      // Everything is served from the site itself: no web fonts, no CDN, no remote images.
      pagefind: true,
      lastUpdated: false,
    }),
  ],
});
