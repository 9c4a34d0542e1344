import type { CommandEntry } from "../command.ts";

/** Every sub-command, in the order `--help` lists them; each module is imported only when its command is called. */
export const commands: CommandEntry[] = [
  { name: "grade", summary: "grade a solution against an exercise's simulated cluster", load: async () => (await import("./grade.ts")).gradeCommand },
  { name: "check", summary: "check a history (JSON lines or Jepsen EDN) for linearizability", load: async () => (await import("./check.ts")).checkCommand },
  { name: "list", summary: "list the exercises and their tasks", load: async () => (await import("./list.ts")).list },
  { name: "new", summary: "scaffold a new exercise and a lesson that embeds it", load: async () => (await import("./new.ts")).newCommand },
  { name: "validate", summary: "check that exercises hold to what the test suite requires", load: async () => (await import("./validate.ts")).validateCommand },
];
