import type { Results, TestResult, TestStatus } from "./results.ts";

export interface TextOptions {
  color: boolean;
  /** Show every test, not only failures and a summary. */
  verbose?: boolean;
}

/** The CLI's rendering of a results object: failures first with their evidence and replay command, then figures. */
export function renderText(results: Results, options: TextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const mark: Record<TestStatus, string> = { pass: paint("32", "PASS"), fail: paint("31", "FAIL"), error: paint("35", "ERROR"), skipped: paint("33", "SKIP") };
  const lines: string[] = [];
  const bad = results.tests.filter((t) => t.status === "fail" || t.status === "error");
  const skipped = results.tests.filter((t) => t.status === "skipped");
  // One line per scenario: how many seeds passed.
  const byScenario = new Map<string, typeof results.tests>();
  for (const t of results.tests) byScenario.set(t.name, [...(byScenario.get(t.name) ?? []), t]);
  lines.push(`${results.exercise}: ${mark[results.status]}`);
  // A grade that ran nothing has only its message to say why.
  if (results.tests.length === 0 && results.message) lines.push(...wrap(results.message).map((l) => `  ${l}`));
  for (const [name, tests] of byScenario) {
    const passed = tests.filter((t) => t.status === "pass").length;
    const notRun = tests.filter((t) => t.status === "skipped").length;
    const status = scenarioStatus(tests);
    const ran = tests.find((t) => t.status !== "skipped");
    const m = ran?.metrics ?? {};
    // A workload with no client operations (detectors, probes) has no per-operation figures to show.
    const figures = m.ops ? `  msgs/op ${m.msgsPerOp}, latency p50 ${m.latencyP50Ms} ms p99 ${m.latencyP99Ms} ms` : "";
    lines.push(`  ${mark[status]}  ${name}  (${passed}/${tests.length} seeds${notRun ? `, ${notRun} skipped` : ""})${figures}`);
  }
  const shown = options.verbose ? bad : bad.slice(0, 3);
  for (const t of shown) {
    lines.push("", `${mark[t.status]} ${t.name}, seed ${t.seed}`);
    lines.push(...wrap(t.message).map((l) => `  ${l}`));
    // The message leads with the first failing check; the others follow, each with its own words.
    const others = t.failures.slice(1);
    if (others.length) {
      lines.push(`  also ${others.length === 1 ? "this check" : `these ${others.length} checks`}:`);
      for (const f of others) lines.push(...wrap(f.status === "error" ? f.message : `${f.check}: ${f.message}`).map((l, i) => `${i === 0 ? "  - " : "    "}${l}`));
    }
    lines.push("  knobs:", ...t.knobs.slice(0, 8).map((k) => `    ${k}`));
    if (t.logs?.length) lines.push("  node logs:", ...t.logs.slice(0, 10).map((l) => `    ${l}`));
    lines.push(`  replay: ${paint("1", t.replay)}`);
  }
  if (bad.length > shown.length) lines.push("", `(${bad.length - shown.length} more failing runs: --json shows them all)`);
  // Skipped runs all share one reason: say it once.
  if (skipped.length) lines.push("", `${mark.skipped} ${skipped.length} ${skipped.length === 1 ? "run" : "runs"}: ${skipped[0]!.message.replace(/^skipped: /, "")}`);
  const m = results.metrics;
  // Component systems have no client operations over messages: their figures are their own (below).
  const messageFigures = m.msgsPerOp > 0 || m.latency.max > 0 ? `; msgs/op ${m.msgsPerOp}; latency p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms, max ${m.latency.max} ms` : "";
  lines.push(
    "",
    `${m.runs} runs, ${m.events} events, ${(m.simulatedMs / 1000).toFixed(1)} s simulated in ${(m.wallMs / 1000).toFixed(2)} s${messageFigures}`,
    ...(results.historyHash ? [`history hash ${results.historyHash}`] : []),
  );
  return `${lines.join("\n")}\n`;
}

/** A scenario's worst outcome over its seeds: an error, then a failure, then a skip (nothing was judged), else a pass. */
function scenarioStatus(tests: readonly TestResult[]): TestStatus {
  for (const status of ["error", "fail", "skipped"] as const) if (tests.some((t) => t.status === status)) return status;
  return "pass";
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
