// Lessons may only point at exercises that exist, every exercise names a lesson that exists, and that
// lesson embeds it where a learner reads about it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../src/cli/exercises.ts";

const contentDir = join(import.meta.dirname, "..", "content");

function lessons(): Array<{ file: string; exercises: string[]; embedded: string[] }> {
  const out: Array<{ file: string; exercises: string[]; embedded: string[] }> = [];
  for (const part of readdirSync(contentDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const name of readdirSync(join(contentDir, part.name)).filter((f) => f.endsWith(".mdx"))) {
      const text = readFileSync(join(contentDir, part.name, name), "utf8");
      const list = /^exercises:\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? "";
      const embedded = [...text.matchAll(/<Exercise\s+slug="([^"]+)"/g)].map((m) => m[1]!);
      out.push({ file: `${part.name}/${name}`, exercises: list.split(",").map((s) => s.trim().replace(/^["']|["']$/g, "")).filter(Boolean), embedded });
    }
  }
  return out;
}

describe("content and exercises agree", () => {
  it("every exercise a lesson lists exists", () => {
    const all = lessons();
    expect(all.length).toBeGreaterThan(0);
    const missing = all.flatMap((l) => l.exercises.filter((slug) => !existsSync(join(exercisesDir, slug, "exercise.ts"))).map((slug) => `${l.file} → ${slug}`));
    expect(missing).toEqual([]);
  });

  it("every exercise names a lesson that exists", async () => {
    for (const slug of listExerciseSlugs()) {
      const exercise = (await loadExercise(slug))!;
      expect(existsSync(join(contentDir, `${exercise.lesson}.mdx`)), `${slug} → ${exercise.lesson}`).toBe(true);
    }
  });

  it("each exercise is embedded in the lesson it names, and every embed is listed in the frontmatter", async () => {
    const all = lessons();
    for (const slug of listExerciseSlugs()) {
      const exercise = (await loadExercise(slug))!;
      const home = all.find((l) => l.file === `${exercise.lesson}.mdx`);
      expect(home?.embedded, `content/${exercise.lesson}.mdx should contain <Exercise slug="${slug}" />`).toContain(slug);
    }
    const unlisted = all.flatMap((l) => l.embedded.filter((slug) => !l.exercises.includes(slug)).map((slug) => `${l.file} embeds ${slug}`));
    expect(unlisted).toEqual([]);
  });
});
