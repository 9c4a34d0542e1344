import type { Command } from "../command.ts";
import { EXIT } from "../command.ts";
import { listExerciseSlugs, loadExercise } from "../exercises.ts";

export const list: Command = {
  name: "list",
  summary: "list the exercises and their tasks",
  usage: "usage: clusterlab list\n\nLists every exercise (slug, title, tasks) that `clusterlab grade` can grade.",
  async run(_argv, io) {
    const slugs = listExerciseSlugs();
    const width = Math.max(...slugs.map((s) => s.length));
    for (const slug of slugs) {
      const ex = (await loadExercise(slug))!;
      io.stdout(`${slug.padEnd(width)}  ${ex.title}  (${ex.tasks.map((t) => t.id).join(", ")})\n`);
    }
    return EXIT.ok;
  },
};
