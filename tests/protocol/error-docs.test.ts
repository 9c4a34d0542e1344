// The docs learners read say what Maelstrom's error table says: the node API reference's <error-codes> block
// (graders/harness/node/api.ts, shown in the editor and by `clusterlab typecheck`) is written from
// graders/protocol/errors.ts by scripts/error-docs.ts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCodeDocLines, errorCodes } from "../../graders/protocol/errors.ts";
import { clusterlabDts } from "../../src/cli/typecheck.ts";
import { nodeApiFile, withErrorDocs } from "../../scripts/error-docs.ts";

const text = readFileSync(nodeApiFile, "utf8");

describe("error codes in the docs", () => {
  it("the node API reference's block is the table, code by code (run node scripts/error-docs.ts when it is not)", () => {
    expect(withErrorDocs(text)).toBe(text);
    const block = /<error-codes>\n([\s\S]*?) \* <\/error-codes>/.exec(text)![1]!;
    const lines = block.split("\n").filter(Boolean).map((line) => line.replace(/^ \* {3}/, ""));
    expect(lines).toEqual(errorCodeDocLines());
    expect(lines).toHaveLength(errorCodes.length);
    for (const e of errorCodes) expect(lines.some((l) => l.startsWith(`${e.code} ${e.name} (${e.definite ? "definite" : "indefinite"})`)), e.name).toBe(true);
  });

  it("the check can fail: a block with a code missing or reworded is rewritten", () => {
    const stale = text.replace(/^ \* {3}1 node-not-found.*\n/m, "");
    expect(stale).not.toBe(text);
    expect(withErrorDocs(stale)).toBe(text);
    expect(withErrorDocs(text.replace("(definite): The request was sent", "(indefinite): The request was sent"))).toBe(text);
  });

  it("the declarations `clusterlab typecheck` checks a solution against carry every line", () => {
    const dts = clusterlabDts();
    for (const line of errorCodeDocLines()) expect(dts).toContain(line);
  });
});
