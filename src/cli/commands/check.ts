import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  checkLinearizability,
  HistoryParseError,
  models,
  parseHistory,
  perKey,
  renderViolation,
  type LinearizabilityResult,
  type Model,
  type Operation,
  type Value,
} from "../../../graders/index.ts";
import { parseArgs } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { consistencyOf, isTxnModel, runTransactionCheck, TXN_MODELS, txnUsage } from "./check-transactions.ts";

const MODEL_NAMES = Object.keys(models);
/** Real (wall-clock) ms one file may take before its verdict is "unknown", not the virtual time of its events. */
const WALL_BUDGET_MS_DEFAULT = 10_000;

const usage = `usage: clusterlab check <history|folder>… --model ${[...MODEL_NAMES, ...TXN_MODELS].join("|")} [--consistency C] [--json] [--timeout-ms N]

Checks that client histories are linearizable under a model: one file, or many (files, and the
.jsonl, .edn and .json files of each folder named) with a verdict per file and a summary.

  <history>         one operation event per line: JSON objects
                    {"process": 0, "type": "invoke", "f": "write", "value": 1, "time"?: 12}
                    or Jepsen EDN maps {:process 0, :type :invoke, :f :write, :value 1}
                    (detected per file; without a time field the line number is the time);
                    clusterlab grade --history writes them
  --model M         register (read/write), cas-register (read/write/cas [from to]),
                    kv (get/put/append on "key", checked key by key); register and cas-register
                    histories whose operations carry a "key" are checked key by key too
                    (each key an independent register, as Jepsen's independent histories)
${txnUsage}
  --json            print one JSON object on stdout instead of text (many files:
                    {"files": [one object per file], "summary": {…}})
  --timeout-ms N    give up with "unknown" after N real ms, per file (default ${WALL_BUDGET_MS_DEFAULT})

Semantics (Jepsen): ok happened; fail did not (a failed cas says the value differed); info and
never-completed operations may take effect at any time after their invoke, or not at all.
Values compare by content (map keys in any order), numbers by their exact written value.

exit: 0 linearizable, 1 not linearizable (explained), 3 unknown (budget spent), 2 unreadable input, 64 usage;
many files: 2 if any is unreadable, else 1 if any is not linearizable, else 3 if any is unknown, else 0
(and every path named must exist: 64 otherwise)`;

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

/** History files in a folder named on the command line: its own files with a history's extension, in name order. */
const HISTORY_FILE = /\.(jsonl|edn|json)$/;

/** The files to check: each file named, and each folder's history files; a folder without any is a usage error. */
function expandInputs(inputs: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(resolve(cwd, input)).isDirectory();
    } catch {
      // One file that is not there gets its "cannot read" verdict (exit 2), as always; among several, a path
      // that names nothing is a mistake on the command line.
      if (inputs.length > 1) throw new UsageError(`no such file or folder: ${input}`);
    }
    if (!isDir) {
      files.push(input);
      continue;
    }
    const found = readdirSync(resolve(cwd, input)).filter((f) => HISTORY_FILE.test(f)).sort();
    if (found.length === 0) throw new UsageError(`no .jsonl, .edn or .json history files in ${input}`);
    files.push(...found.map((f) => join(input, f)));
  }
  return files;
}

/**
 * A register model checked one key at a time when the history's operations carry keys: Jepsen's independent
 * histories, and what clusterlab grade --history writes for a key-value store. Models that partition already
 * (kv) are left as they are.
 */
function perKeyWhenKeyed(model: Model<any>, operations: readonly Operation<Value>[]): Model<any> {
  return model.partition || !operations.some((op) => op.key !== undefined) ? model : perKey(model);
}

type FileError = { message: string; line?: number; expected?: string; found?: string };
type FileVerdict = { file: string; result: LinearizabilityResult } | { file: string; error: FileError };

/** One file's verdict. Exit 1 means "not linearizable", so every error, expected or not, is an error verdict. */
function checkFile(file: string, model: string, wallBudgetMs: number, cwd: string): FileVerdict {
  try {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(resolve(cwd, file));
    } catch (error) {
      return { file, error: { message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } };
    }
    const history = parseHistory(bytes);
    const result = checkLinearizability(history.operations, perKeyWhenKeyed(models[model]!, history.operations), { wallMs: wallBudgetMs });
    return { file, result };
  } catch (error) {
    if (error instanceof HistoryParseError) return { file, error: { message: error.message, line: error.line, expected: error.expected, found: error.found } };
    return { file, error: { message: `could not check the history (${oneLine(error)}); please report it with the file` } };
  }
}

const exitOf = (verdict: FileVerdict): number =>
  "error" in verdict ? EXIT.error : verdict.result.verdict === "linearizable" ? EXIT.ok : verdict.result.verdict === "unknown" ? EXIT.unknown : EXIT.failed;

function errorLine(verdict: { file: string; error: FileError }): string {
  const { file, error } = verdict;
  return error.line === undefined ? `clusterlab check: ${file}: ${error.message}\n` : `clusterlab check: ${file}:${error.line}: expected ${error.expected}, found ${error.found}\n`;
}

export const checkCommand: Command = {
  name: "check",
  usage,
  async run(argv, io) {
    const { positionals, flags } = parseArgs(argv, { model: "string", json: "boolean", "timeout-ms": "integer", consistency: "string" });
    if (positionals.length === 0) throw new UsageError("expected a history file (or several, or a folder)");
    const model = flags.model as string | undefined;
    if (model === undefined) throw new UsageError(`--model is required (${[...MODEL_NAMES, ...TXN_MODELS].join(", ")})`);
    if (!MODEL_NAMES.includes(model) && !isTxnModel(model)) throw new UsageError(`--model expects one of ${[...MODEL_NAMES, ...TXN_MODELS].join(", ")}, got "${model}"`);
    const wallBudgetMs = (flags["timeout-ms"] as number | undefined) ?? WALL_BUDGET_MS_DEFAULT;
    if (wallBudgetMs <= 0) throw new UsageError(`--timeout-ms expects a positive number of milliseconds, got ${wallBudgetMs}`);
    const json = flags.json === true;
    const files = expandInputs(positionals, io.cwd);
    const single = files.length === 1 && positionals.length === 1 && files[0] === positionals[0];
    const consistency = consistencyOf(flags.consistency, model);
    if (isTxnModel(model)) return runTransactionCheck(files, single, { shape: model, consistency, json }, io);

    // The output is built whole before it is written, so a failure while rendering leaves no half-written
    // verdict behind the error.
    const render = (verdict: FileVerdict): { out: string; err: string } => {
      if ("error" in verdict) return json ? { out: `${JSON.stringify({ verdict: "error", file: verdict.file, model, error: verdict.error })}\n`, err: "" } : { out: "", err: errorLine(verdict) };
      const { file, result } = verdict;
      return { out: json ? `${JSON.stringify({ file, ...result })}\n` : summaryLine(file, result) + (result.violation ? `\n${renderViolation(result.violation)}` : ""), err: "" };
    };
    const safely = (verdict: FileVerdict): { out: string; err: string; verdict: FileVerdict } => {
      try {
        return { ...render(verdict), verdict };
      } catch (error) {
        const failed: FileVerdict = { file: verdict.file, error: { message: `could not check the history (${oneLine(error)}); please report it with the file` } };
        return { ...render(failed), verdict: failed };
      }
    };

    if (single) {
      const { out, err, verdict } = safely(checkFile(files[0]!, model, wallBudgetMs, io.cwd));
      if (out) io.stdout(out);
      if (err) io.stderr(err);
      return exitOf(verdict);
    }

    const verdicts: FileVerdict[] = [];
    const perFile: string[] = [];
    for (const file of files) {
      const { out, err, verdict } = safely(checkFile(file, model, wallBudgetMs, io.cwd));
      verdicts.push(verdict);
      if (json) perFile.push(out.trimEnd());
      // An explanation (a timeline) ends with a blank line, so the next file's verdict stands apart.
      else if (out) io.stdout(out.split("\n").length > 2 ? `${out}\n` : out);
      // Unreadable files are reported in place, on stdout, so the verdicts stay in file order.
      if (!json && err) io.stdout(err.replace(/^clusterlab check: /, ""));
    }
    const count = (code: number) => verdicts.filter((v) => exitOf(v) === code).length;
    const summary = { files: verdicts.length, linearizable: count(EXIT.ok), notLinearizable: count(EXIT.failed), unknown: count(EXIT.unknown), unreadable: count(EXIT.error), model };
    if (json) io.stdout(`{"files": [\n${perFile.map((l) => `  ${l}`).join(",\n")}\n], "summary": ${JSON.stringify(summary)}}\n`);
    else {
      io.stdout(
        `\n${summary.files} histories under ${model}: ${summary.linearizable} linearizable, ${summary.notLinearizable} not linearizable, ${summary.unknown} unknown, ${summary.unreadable} unreadable\n`,
      );
    }
    if (summary.unreadable) return EXIT.error;
    if (summary.notLinearizable) return EXIT.failed;
    if (summary.unknown) return EXIT.unknown;
    return EXIT.ok;
  },
};
