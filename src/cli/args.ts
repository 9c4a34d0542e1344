import { UsageError } from "./command.ts";

export interface FlagSpec {
  /** "boolean" flags take no value; "string" and "integer" flags take the next argument or `--flag=value`. */
  [name: string]: "boolean" | "string" | "integer";
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | number | boolean | undefined>;
}

/** A small strict parser: unknown flags and malformed values are usage errors that say what was expected. */
export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs["flags"] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === "boolean") {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
    if (kind === "integer") {
      if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} expects a whole number, got "${value}"`);
      flags[name] = Number(value);
    } else {
      flags[name] = value;
    }
  }
  return { positionals, flags };
}
