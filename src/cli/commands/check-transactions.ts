import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  checkTransactionHistory,
  consistencyModels,
  forbiddenCycleDiagram,
  HistoryParseError,
  isConsistencyModel,
  parseHistory,
  renderTxnResult,
  type ConsistencyModel,
  type TxnCheckResult,
  type TxnShape,
} from "../../../graders/index.ts";
import { EXIT, UsageError, type CliIo } from "../command.ts";

/** The history shapes `check --model` reads as transactions (the others are linearizability models). */
export const TXN_MODELS: readonly TxnShape[] = ["list-append", "rw-register"];
export const isTxnModel = (model: string): model is TxnShape => (TXN_MODELS as readonly string[]).includes(model);
const CONSISTENCY_DEFAULT: ConsistencyModel = "serializable";

/** The usage lines for the transactional models, in the check command's usage text. */
export const txnUsage = `  --model list-append   Maelstrom's txn-list-append: f "txn", value a list of ["append", k, v] and
                        ["r", k, list]; rw-register: ["w", k, v] and ["r", k, v]. Checked for the
                        anomalies --consistency forbids (${consistencyModels.join(", ")};
                        default ${CONSISTENCY_DEFAULT}), the smallest cycle explained`;

/** The consistency model asked for with --consistency (only with a transactional --model). */
export function consistencyOf(flag: unknown, model: string): ConsistencyModel {
  if (flag === undefined) return CONSISTENCY_DEFAULT;
  if (!isTxnModel(model)) throw new UsageError(`--consistency goes with --model ${TXN_MODELS.join(" or ")}`);
  if (typeof flag !== "string" || !isConsistencyModel(flag)) throw new UsageError(`--consistency expects one of ${consistencyModels.join(", ")}, got "${String(flag)}"`);
  return flag;
}

type Verdict = { file: string; result: TxnCheckResult; text: string; diagram: unknown } | { file: string; error: { message: string; line?: number; expected?: string; found?: string } };

function checkFile(file: string, shape: TxnShape, consistency: ConsistencyModel, cwd: string): Verdict {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(resolve(cwd, file));
  } catch (error) {
    return { file, error: { message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } };
  }
  try {
    const { result, txns } = checkTransactionHistory(parseHistory(bytes).operations, { model: consistency, shape });
    return { file, result, text: renderTxnResult(result, txns), diagram: forbiddenCycleDiagram(result, txns) ?? null };
  } catch (error) {
    if (error instanceof HistoryParseError) return { file, error: { message: error.message, line: error.line, expected: error.expected, found: error.found } };
    const first = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n", 1)[0]!.slice(0, 200);
    return { file, error: { message: `could not check the history (${first}); please report it with the file` } };
  }
}

const exitOf = (v: Verdict): number => ("error" in v ? EXIT.error : v.result.verdict === "valid" ? EXIT.ok : v.result.verdict === "unknown" ? EXIT.unknown : EXIT.failed);

function errorText(v: Extract<Verdict, { error: unknown }>): string {
  return v.error.line === undefined ? `${v.file}: ${v.error.message}\n` : `${v.file}:${v.error.line}: expected ${v.error.expected}, found ${v.error.found}\n`;
}

/**
 * `clusterlab check --model list-append|rw-register`: a verdict per file, with the linearizability check's
 * exit codes (0 valid, 1 an anomaly the model forbids, 3 unknown, 2 unreadable; many files: the worst).
 */
export function runTransactionCheck(files: readonly string[], single: boolean, options: { shape: TxnShape; consistency: ConsistencyModel; json: boolean }, io: CliIo): number {
  const verdicts = files.map((file) => checkFile(file, options.shape, options.consistency, io.cwd));
  const asJson = (v: Verdict) =>
    JSON.stringify("error" in v ? { verdict: "error", file: v.file, model: options.shape, consistency: options.consistency, error: v.error } : { file: v.file, ...v.result, diagram: v.diagram });
  if (single) {
    const v = verdicts[0]!;
    if (options.json) io.stdout(`${asJson(v)}\n`);
    else if ("error" in v) io.stderr(`clusterlab check: ${errorText(v)}`);
    else io.stdout(`${v.file}: ${v.text}\n`);
    return exitOf(v);
  }
  const count = (code: number) => verdicts.filter((v) => exitOf(v) === code).length;
  const summary = { files: verdicts.length, valid: count(EXIT.ok), invalid: count(EXIT.failed), unknown: count(EXIT.unknown), unreadable: count(EXIT.error), model: options.shape, consistency: options.consistency };
  if (options.json) io.stdout(`{"files": [\n${verdicts.map((v) => `  ${asJson(v)}`).join(",\n")}\n], "summary": ${JSON.stringify(summary)}}\n`);
  else {
    for (const v of verdicts) io.stdout("error" in v ? errorText(v) : `${v.file}: ${v.text}\n${v.text.includes("\n") ? "\n" : ""}`);
    io.stdout(`\n${summary.files} histories under ${options.consistency} (${options.shape}): ${summary.valid} valid, ${summary.invalid} invalid, ${summary.unknown} unknown, ${summary.unreadable} unreadable\n`);
  }
  if (summary.unreadable) return EXIT.error;
  if (summary.invalid) return EXIT.failed;
  if (summary.unknown) return EXIT.unknown;
  return EXIT.ok;
}
