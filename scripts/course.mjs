// The course layout on disk, shared by astro.config.mjs (sidebar) and src/content.config.ts (entry ids).
//
//   content/<NN-part>/<NN-lesson>.mdx      reading order comes from the number prefixes
//   content/<NN-part>/meta.json            optional: { "label": "Load balancing" } for the sidebar group
//
// URLs drop the number prefixes (content/01-foundations/01-what-is-a-distributed-system.mdx is served at
// /foundations/what-is-a-distributed-system/), so reordering lessons does not break links.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PART_DIR = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

/**
 * Parses a lesson path relative to content/ ("01-foundations/01-what-is.mdx").
 * Throws with a message that says what the name must look like.
 */
export function parseLessonPath(entryPath) {
  const segments = entryPath.replaceAll("\\", "/").split("/");
  if (segments.length !== 2) {
    throw new Error(
      `content/${entryPath}: lessons live exactly one folder deep, as content/<NN-part>/<NN-lesson>.mdx`,
    );
  }
  const [partDir, lessonFile] = segments;
  const part = PART_DIR.exec(partDir);
  const lesson = LESSON_FILE.exec(lessonFile);
  if (!part) throw new Error(`content/${entryPath}: part folder must be named like "01-foundations"`);
  if (!lesson) throw new Error(`content/${entryPath}: lesson file must be named like "01-what-is-a-distributed-system.mdx"`);
  return {
    partNumber: Number(part[1]),
    partSlug: part[2],
    lessonNumber: Number(lesson[1]),
    lessonSlug: lesson[2],
    id: `${part[2]}/${lesson[2]}`,
  };
}

/** "load-balancing" → "Load balancing" (used when a part folder has no meta.json). */
function labelFromSlug(slug) {
  const words = slug.replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Reads content/ and returns the parts in reading order, each with its lessons in reading order.
 * Only names are read here; frontmatter is validated by the content collection schema.
 */
export function readCourseOutline(contentDir) {
  if (!existsSync(contentDir)) return [];
  const parts = [];
  const seenIds = new Map();
  for (const partDir of readdirSync(contentDir, { withFileTypes: true })) {
    if (!partDir.isDirectory()) continue;
    const match = PART_DIR.exec(partDir.name);
    if (!match) throw new Error(`content/${partDir.name}: part folders must be named like "01-foundations"`);
    const dir = join(contentDir, partDir.name);
    const metaPath = join(dir, "meta.json");
    const meta = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, "utf8")) : {};
    const lessons = [];
    for (const file of readdirSync(dir)) {
      if (!file.endsWith(".mdx")) continue;
      const lesson = parseLessonPath(`${partDir.name}/${file}`);
      const clash = seenIds.get(lesson.id);
      if (clash) throw new Error(`content/${partDir.name}/${file} and content/${clash} both map to /${lesson.id}/`);
      seenIds.set(lesson.id, `${partDir.name}/${file}`);
      lessons.push({ ...lesson, file });
    }
    lessons.sort((a, b) => a.file.localeCompare(b.file));
    parts.push({
      dir: partDir.name,
      number: Number(match[1]),
      slug: match[2],
      label: typeof meta.label === "string" ? meta.label : labelFromSlug(match[2]),
      lessons,
    });
  }
  parts.sort((a, b) => a.dir.localeCompare(b.dir));
  return parts;
}
