import { docsSchema, i18nSchema } from "@astrojs/starlight/schema";
import { glob } from "astro/loaders";
import { z } from "astro/zod";
import { defineCollection } from "astro:content";
import { parseLessonPath } from "../scripts/course.mjs";

const EXERCISE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Frontmatter every lesson must carry, on top of Starlight's own fields. */
const lessonFields = z.object({
  /** One or two sentences: shown in search results, link previews and the page's meta description. */
  description: z.string().min(1),
  /** Part number; must match the folder's prefix (content/01-foundations → 1). 0 is for pages outside
   * the parts, such as the home page (src/pages/index.astro). */
  part: z.number().int().nonnegative(),
  /** Position in the part; must match the file's prefix (01-what-is-….mdx → 1). */
  order: z.number().int().nonnegative(),
  /** Slugs of the graded exercises (folders in exercises/) that practise this lesson. */
  exercises: z
    .array(z.string().regex(EXERCISE_SLUG, "exercise slugs are kebab-case, e.g. unique-ids"))
    .default([]),
});

export const collections = {
  docs: defineCollection({
    loader: glob({
      base: "./content",
      pattern: "**/[^_]*.mdx",
      // content/01-foundations/01-what-is-x.mdx → "foundations/what-is-x" (URL without number
      // prefixes). The numbers in the names are the reading order, so the frontmatter must agree.
      generateId: ({ entry, data }) => {
        const lesson = parseLessonPath(entry);
        if (data.part !== lesson.partNumber || data.order !== lesson.lessonNumber) {
          throw new Error(
            `content/${entry}: frontmatter says part ${String(data.part)}, order ${String(data.order)}; ` +
              `the file name says part ${lesson.partNumber}, order ${lesson.lessonNumber}`,
          );
        }
        return lesson.id;
      },
    }),
    schema: docsSchema({ extend: lessonFields }),
  }),
  // Starlight reads overrides of its interface strings from here on every page, and warns on every
  // build when the collection is empty. The site is in English only: its one entry is where to put an
  // override (a key of Starlight's translations, e.g. "search.label"); none is needed yet.
  i18n: defineCollection({
    loader: () => [{ id: "en" }],
    schema: i18nSchema(),
  }),
};
