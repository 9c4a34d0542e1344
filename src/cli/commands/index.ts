import type { Command } from "../command.ts";
import { checkCommand } from "./check.ts";
import { gradeCommand } from "./grade.ts";
import { list } from "./list.ts";
import { newCommand } from "./new.ts";
import { validateCommand } from "./validate.ts";

/** Every sub-command, in the order `--help` lists them. */
export const commands: Command[] = [gradeCommand, checkCommand, list, newCommand, validateCommand];
