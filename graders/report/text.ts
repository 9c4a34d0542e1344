import type { Results } from "./results.ts";

export interface TextOptions {
  color: boolean;
  /** Show every test, not only failures and a summary. */
  verbose?: boolean;
}

/** The CLI's rendering of a results object: failures first with their evidence and replay command, then figures. */
export function renderText(results: Results, options: TextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const mark = { pass: paint("32", "PASS"), fail: paint("31", "FAIL"), error: paint("35", "ERROR") };
  const lines: string[] = [];
  const bad = results.tests.filter((t) => t.status !== "pass");
  // One line per scenario: how many seeds passed.
  const byScenario = new Map<string, typeof results.tests>();
  for (const t of results.tests) byScenario.set(t.name, [...(byScenario.get(t.name) ?? []), t]);
  lines.push(`${results.exercise}: ${mark[results.status]}`);
  for (const [name, tests] of byScenario) {
    const passed = tests.filter((t) => t.status === "pass").length;
    const status = tests.some((t) => t.status === "error") ? "error" : passed === tests.length ? "pass" : "fail";
    const m = tests[0]!.metrics;
    const figures = m.ops !== undefined ? `  msgs/op ${m.msgsPerOp}, latency p50 ${m.latencyP50Ms} ms p99 ${m.latencyP99Ms} ms` : "";
    lines.push(`  ${mark[status]}  ${name}  (${passed}/${tests.length} seeds)${figures}`);
  }
  const shown = options.verbose ? bad : bad.slice(0, 3);
  for (const t of shown) {
    lines.push("", `${mark[t.status]} ${t.name}, seed ${t.seed}`);
    lines.push(...wrap(t.message).map((l) => `  ${l}`));
    lines.push("  knobs:", ...t.knobs.slice(0, 8).map((k) => `    ${k}`));
    if (t.logs?.length) lines.push("  node logs:", ...t.logs.slice(0, 10).map((l) => `    ${l}`));
    lines.push(`  replay: ${paint("1", t.replay)}`);
  }
  if (bad.length > shown.length) lines.push("", `(${bad.length - shown.length} more failing runs: --json shows them all)`);
  const m = results.metrics;
  // Component systems have no client operations over messages: their figures are their own (below).
  const messageFigures = m.msgsPerOp > 0 || m.latency.max > 0 ? `; msgs/op ${m.msgsPerOp}; latency p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms, max ${m.latency.max} ms` : "";
  lines.push(
    "",
    `${m.runs} runs, ${m.events} events, ${(m.simulatedMs / 1000).toFixed(1)} s simulated in ${(m.wallMs / 1000).toFixed(2)} s${messageFigures}`,
    `history hash ${results.historyHash}`,
  );
  return `${lines.join("\n")}\n`;
}

function wrap(text: string, width = 100): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}
