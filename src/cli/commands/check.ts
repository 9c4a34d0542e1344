import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  checkLinearizability,
  HistoryParseError,
  models,
  parseHistory,
  renderViolation,
  type LinearizabilityResult,
} from "../../../graders/index.ts";
import { parseArgs } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";

const MODEL_NAMES = Object.keys(models);
const TIMEOUT_MS_DEFAULT = 10_000;

const usage = `usage: clusterlab check <history> --model ${MODEL_NAMES.join("|")} [--json] [--timeout-ms N]

Checks that a client history is linearizable under a model.

  <history>         one operation event per line: JSON objects
                    {"process": 0, "type": "invoke", "f": "write", "value": 1, "time"?: 12}
                    or Jepsen EDN maps {:process 0, :type :invoke, :f :write, :value 1}
                    (detected per file; without a time field the line number is the time)
  --model M         register (read/write), cas-register (read/write/cas [from to]),
                    kv (get/put/append on "key", checked key by key)
  --json            print one JSON object on stdout instead of text
  --timeout-ms N    give up with "unknown" after N ms (default ${TIMEOUT_MS_DEFAULT})

Semantics (Jepsen): ok happened; fail did not (a failed cas says the value differed); info and
never-completed operations may take effect at any time after their invoke, or not at all.
Values compare by content (map keys in any order), numbers by their exact written value.

exit: 0 linearizable, 1 not linearizable (explained), 3 unknown (budget spent), 2 unreadable input, 64 usage`;

function summaryLine(file: string, result: LinearizabilityResult): string {
  const parts = `${result.operations} operations` + (result.partitions > 1 ? `, ${result.partitions} keys` : "");
  const timing = `${result.steps} steps, ${result.wallMs.toFixed(0)} ms`;
  if (result.verdict === "linearizable") return `${file}: linearizable under ${result.model} (${parts}; ${timing})\n`;
  if (result.verdict === "unknown") {
    return `${file}: unknown under ${result.model}: ${result.unknown?.message ?? "a budget ran out"} (${parts}; ${timing})\n`;
  }
  return `${file}: not linearizable under ${result.model} (${parts}; ${timing})\n`;
}

/** An unexpected error as one short line: its name and the first line of its message, never its stack. */
function oneLine(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : `a thrown ${typeof error}`;
  } catch {
    text = "an unreadable error";
  }
  const first = text.split("\n", 1)[0]!;
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

export const checkCommand: Command = {
  name: "check",
  summary: "check a history (JSON lines or Jepsen EDN) for linearizability",
  usage,
  async run(argv, io) {
    const { positionals, flags } = parseArgs(argv, { model: "string", json: "boolean", "timeout-ms": "integer" });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? "expected a history file" : `expected one history file, got ${positionals.length}`);
    }
    const model = flags.model as string | undefined;
    if (model === undefined) throw new UsageError(`--model is required (${MODEL_NAMES.join(", ")})`);
    if (!MODEL_NAMES.includes(model)) throw new UsageError(`--model expects one of ${MODEL_NAMES.join(", ")}, got "${model}"`);
    const timeoutMs = (flags["timeout-ms"] as number | undefined) ?? TIMEOUT_MS_DEFAULT;
    if (timeoutMs <= 0) throw new UsageError(`--timeout-ms expects a positive number of milliseconds, got ${timeoutMs}`);
    const json = flags.json === true;
    const file = positionals[0]!;

    const fail = (error: { message: string; line?: number; expected?: string; found?: string }): number => {
      if (json) io.stdout(`${JSON.stringify({ verdict: "error", file, model, error })}\n`);
      else if (error.line === undefined) io.stderr(`clusterlab check: ${file}: ${error.message}\n`);
      else io.stderr(`clusterlab check: ${file}:${error.line}: expected ${error.expected}, found ${error.found}\n`);
      return EXIT.error;
    };

    // Exit 1 means "not linearizable", so nothing else may end with it: every error, expected or not, is
    // exit 2 with one line. The output is built whole before it is written, so a failure while rendering
    // leaves no half-written verdict behind the error.
    try {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(resolve(io.cwd, file));
      } catch (error) {
        return fail({ message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
      }
      const history = parseHistory(bytes);
      const result = checkLinearizability(history.operations, model, { timeoutMs });
      const out = json
        ? `${JSON.stringify({ file, ...result })}\n`
        : summaryLine(file, result) + (result.violation ? `\n${renderViolation(result.violation)}` : "");
      io.stdout(out);
      return result.verdict === "linearizable" ? EXIT.ok : result.verdict === "unknown" ? EXIT.unknown : EXIT.failed;
    } catch (error) {
      if (error instanceof HistoryParseError) {
        return fail({ message: error.message, line: error.line, expected: error.expected, found: error.found });
      }
      return fail({ message: `could not check the history (${oneLine(error)}); please report it with the file` });
    }
  },
};
