/**
 * What a build kept on disk (the sandbox's bundles, the CLI's grade path) remembers of the files it was made
 * from, to tell later whether it still stands for them: each input's content hash, size and modification
 * time. An input whose size and modification time are those it had when it was hashed is taken as unchanged
 * without being read (an edit, a checkout or a copy gives a file a new modification time); any other is
 * hashed again.
 */
import { readFileSync, statSync } from "node:fs";

export type KeptInputs = Record<string, { hash: string; size: number; mtimeMs: number }>;

// node:crypto is loaded only when a file must be hashed: a process that finds every input as it was (the
// usual case) never loads it.
export const hashOf = async (content: Buffer): Promise<string> => (await import("node:crypto")).createHash("sha256").update(content).digest("hex");

/** A name for a record's file from its key: FNV-1a, twice (64 bits); the record's own key is compared on reading. */
export function recordName(key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    a = Math.imul(a ^ key.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ key.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return `${a.toString(16).padStart(8, "0")}${b.toString(16).padStart(8, "0")}`;
}

/** Whether every input is as it was when kept (a missing one throws). */
export async function inputsUnchanged(inputs: KeptInputs): Promise<boolean> {
  for (const [path, input] of Object.entries(inputs)) {
    const stat = statSync(path);
    if (stat.size === input.size && stat.mtimeMs === input.mtimeMs) continue;
    if (stat.size !== input.size || (await hashOf(readFileSync(path))) !== input.hash) return false;
  }
  return true;
}

/**
 * The inputs of a build that began at `builtAfter` (Date.now(), less a second for coarse clocks), to keep
 * with it; undefined when one was saved while the build read it (it may hash unlike what was built: such a
 * build is not kept).
 */
export async function inputsAsBuilt(paths: readonly string[], builtAfter: number): Promise<KeptInputs | undefined> {
  const stats = paths.map((path) => statSync(path));
  if (stats.some((stat) => stat.mtimeMs > builtAfter)) return undefined;
  const hashes = await Promise.all(paths.map((path) => hashOf(readFileSync(path))));
  return Object.fromEntries(paths.map((path, i) => [path, { hash: hashes[i]!, size: stats[i]!.size, mtimeMs: stats[i]!.mtimeMs }]));
}
