// A CliIo that keeps what a command writes, run from the repository's root unless told otherwise.
import { join } from "node:path";
import type { CliIo } from "../../../src/cli/command.ts";

export const repoRoot = join(import.meta.dirname, "..", "..", "..");

export function cliIo(cwd = repoRoot): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", isTty: false, color: false, cwd, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}
