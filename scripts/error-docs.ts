// Writes Maelstrom's error table (graders/protocol/errors.ts) into the docs learners read: the <error-codes>
// block of the node API reference (graders/harness/node/api.ts), which the editor and `clusterlab typecheck`
// show. Run: node scripts/error-docs.ts (or --check: exit 1 when the block is stale).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { errorCodeDocLines } from "../graders/protocol/errors.ts";

export const nodeApiFile = join(import.meta.dirname, "..", "graders", "harness", "node", "api.ts");
const blockPattern = /( \* <error-codes>\n)[\s\S]*?( \* <\/error-codes>\n)/;

/** The file's text with its error block made from the table. */
export function withErrorDocs(text: string): string {
  if (!blockPattern.test(text)) throw new Error(`${nodeApiFile} has no <error-codes> block`);
  return text.replace(blockPattern, (_, open: string, close: string) => `${open}${errorCodeDocLines().map((line) => ` *   ${line}\n`).join("")}${close}`);
}

if (import.meta.main) {
  const text = readFileSync(nodeApiFile, "utf8");
  const next = withErrorDocs(text);
  if (process.argv.includes("--check")) {
    if (next !== text) {
      process.stderr.write(`${nodeApiFile}: the error codes are stale; run node scripts/error-docs.ts\n`);
      process.exit(1);
    }
  } else if (next !== text) writeFileSync(nodeApiFile, next);
}
