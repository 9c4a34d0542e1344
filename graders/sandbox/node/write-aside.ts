/**
 * Writes a cache file whole or not at all: the data goes to a file of this process's own beside it, which is
 * then renamed over the target, so a reader in another process (a parallel grade, a batch worker) never sees
 * half a file. Makes the folder first. Throws what the file system throws (a read-only install): each cache
 * decides what a failed write means for it.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function writeAside(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}
