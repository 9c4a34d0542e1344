/**
 * Which output format a call asks for (formats.ts renders them). Apart from the renderers, which load the
 * engine: `clusterlab grade` checks its flags before it loads the engine (or its bundle: grade-bundle.ts).
 */
import { UsageError } from "../command.ts";

export const formats = ["text", "json", "junit", "exercism", "classroom"] as const;
export type Format = (typeof formats)[number];

/** The format the flags ask for: --format, or --json (its alias for json), else text. Refuses what is not one. */
export function chooseFormat(format: unknown, json: boolean): Format {
  if (format === undefined) return json ? "json" : "text";
  if (!formats.includes(format as Format)) throw new UsageError(`--format takes ${formats.join(", ")}, not "${String(format)}"`);
  if (json && format !== "json") throw new UsageError(`--json is --format json: it cannot go with --format ${String(format)}`);
  return format as Format;
}

