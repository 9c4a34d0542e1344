import type { Command } from "../command.ts";
import { EXIT, UsageError } from "../command.ts";
import { parseArgs } from "../args.ts";
import { listExerciseSlugs, loadExercise } from "../exercises.ts";

export const list: Command = {
  name: "list",
  usage: "usage: clusterlab list\n\nLists every exercise (slug, title, tasks) that `clusterlab grade` can grade.",
  async run(argv, io) {
    const { positionals } = parseArgs(argv, {});
    if (positionals.length > 0) throw new UsageError(`list takes no arguments, got "${positionals[0]}"`);
    const slugs = listExerciseSlugs();
    const width = Math.max(...slugs.map((s) => s.length));
    for (const slug of slugs) {
      const ex = (await loadExercise(slug))!;
      io.stdout(`${slug.padEnd(width)}  ${ex.title}  (${ex.tasks.map((t) => t.id).join(", ")})\n`);
    }
    return EXIT.ok;
  },
};
