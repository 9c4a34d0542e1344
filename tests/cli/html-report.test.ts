// `clusterlab grade --report report.html`: one self-contained file (nothing fetched, no script) with the
// verdict, a chart per scenario, every run that did not pass and the first failing run's message diagram;
// whatever the learner's nodes log is text in it, never markup.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { html, messageDiagram } from "../../src/cli/batch/html-report.ts";
import { cliIo } from "./support/io.ts";

const dir = mkdtempSync(join(tmpdir(), "clusterlab-report-"));

describe("clusterlab grade --report", () => {
  it("writes one self-contained HTML file with the failing run's messages, and escapes what the nodes log", async () => {
    const file = join(dir, "hostile.ts");
    writeFileSync(file, 'import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  node.on("echo", (msg) => { node.log("<script>alert(1)</script> & <img src=x onerror=alert(2)>"); node.reply(msg, { type: "echo_ok", echo: "wrong" }); });\n}\n');
    const out = join(dir, "report.html");
    const io = cliIo();
    expect(await main(["grade", "echo", file, "--seeds", "2", "--no-typecheck", "--report", out], io)).toBe(1);
    expect(io.err).toContain(`report written to ${out}`);
    expect(io.out).toMatch(/^echo: FAIL/); // the text output is unchanged
    const page = readFileSync(out, "utf8");
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('<span class="status fail">FAIL</span>');
    expect(page).toContain("one-node &gt; single");
    expect(page).toContain("npx clusterlab grade echo");
    // The message diagram of the first failing run: client and node lanes, an arrow per message.
    expect(page).toMatch(/<h2>Messages of the first failing run: one-node &gt; single, seed 1<\/h2><div style="overflow-x:auto"><svg /);
    expect(page).toContain(">echo_ok</text>");
    // Self-contained and inert: no script, nothing loaded from elsewhere, the log shown as text.
    expect(page).not.toMatch(/<script|<img|<link|<iframe|\s(src|href)="|https?:\/\//i);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;");
  });

  it("draws lost messages apart and says how many it left out", () => {
    const trace = Array.from({ length: 90 }, (_, i) => ({ src: "n1", dest: i % 2 ? "n2" : "c1", type: i === 3 ? "<gossip>" : "gossip", sendMs: i, recvMs: i % 5 ? i + 3 : undefined, fate: (i % 5 ? "delivered" : "lost") as "delivered" | "lost", bytes: 10 }));
    const svg = messageDiagram(trace);
    expect(svg).toContain("The first 80 of 90 messages");
    expect(svg).toContain("(lost)");
    expect(svg).toContain("&lt;gossip&gt;");
    expect(messageDiagram([])).toBe("<p>This run recorded no messages.</p>");
    expect(html(`a"b'c`)).toBe("a&quot;b&#39;c");
  });

  it("refuses what it cannot write as usage errors", async () => {
    for (const [argv, message] of [
      [["grade", "echo", "--report", "out.txt"], '--report writes an .html file, not "out.txt"'],
      [["grade", "echo", "exercises/echo/starter.ts", "exercises/echo/.meta/solution.ts", "--report", "r.html"], "--report writes the results of one submission"],
    ] as const) {
      const io = cliIo();
      expect(await main([...argv], io)).toBe(64);
      expect(io.err).toContain(message);
    }
  });
});
