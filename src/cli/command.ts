/** What every `clusterlab` sub-command provides. Commands live one per file in ./commands/. */
export interface Command {
  name: string;
  /** Full usage text for `clusterlab <name> --help`. */
  usage: string;
  /** Returns the process exit code (0 ok, 1 a check failed, 2 could not run, 3 unknown, 64 usage). */
  run(argv: string[], io: CliIo): Promise<number>;
}

/**
 * A sub-command as `clusterlab --help` lists it (./commands/index.ts). Its module loads only when it is
 * called: loading modules is most of a call's start-up, and only some commands need the engine.
 */
export interface CommandEntry {
  name: string;
  /** One line for `clusterlab --help`. */
  summary: string;
  load(): Promise<Command>;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is an interactive terminal (progress lines allowed). */
  isTty: boolean;
  /** False when NO_COLOR is set or output is not a terminal. */
  color: boolean;
  cwd: string;
}

export const EXIT = { ok: 0, failed: 1, error: 2, unknown: 3, usage: 64 } as const;

const usageBrand = Symbol.for("clusterlab.UsageError");

/** A usage error: printed with the command's usage text, exit 64. */
export class UsageError extends Error {
  /**
   * Any UsageError is one, whichever copy of this module made it: a test that runs the CLI in its own
   * module loader meets the one of the grade path's bundle (grade-bundle.ts), which imports this file natively.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[usageBrand] === true;
  }
  readonly [usageBrand] = true;
}
