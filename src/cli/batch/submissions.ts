/** Which files a batch grades: the files named, and every solution file in the folders named. */
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { UsageError } from "../command.ts";

export interface Submission {
  /** Absolute. */
  path: string;
  /** As the user sees it: relative to the working folder, for the summary and replay commands. */
  label: string;
}

/** A solution is a .ts file that is not a declaration file. */
const isSolution = (name: string) => name.endsWith(".ts") && !name.endsWith(".d.ts");

/**
 * Every input file, and every solution file under every input folder (its subfolders too, but not
 * node_modules or dot-folders below it: a student repository's tooling is not a submission), in a stable order.
 */
export function findSubmissions(inputs: readonly string[], cwd: string): Submission[] {
  const seen = new Set<string>();
  const out: Submission[] = [];
  const add = (path: string, label: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, label });
  };
  for (const input of inputs) {
    const path = resolve(cwd, input);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new UsageError(`no such file or folder: ${input}`);
    }
    if (!isDir) {
      add(path, input);
      continue;
    }
    const found = walk(path);
    if (found.length === 0) throw new UsageError(`no .ts solution files in ${input}`);
    for (const file of found) add(file, relative(cwd, file) || file);
  }
  return out;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      files.push(...walk(path));
    } else if (entry.isFile() && isSolution(entry.name)) files.push(path);
  }
  return files;
}
