/**
 * `clusterlab grade --report report.html`: the results as one self-contained HTML file (no script, no
 * stylesheet or font fetched, nothing outside the file), for CLI users who want to read or share a grade in a
 * browser: the verdict and figures, a chart of seeds passed per scenario, every run that did not pass with its
 * checks, knobs, node logs and replay command, and the message diagram of the first failing run.
 * Every piece of text from the run (messages, logs, message types, node names) is escaped: a learner's node
 * may log anything.
 */
import type { Results, TestResult, TraceEntry } from "../../../graders/index.ts";

export interface FailingRun {
  test: TestResult;
  trace: readonly TraceEntry[];
}

export interface HtmlReportOptions {
  title?: string;
  /** The first failing run's messages, for its diagram. */
  failing?: FailingRun;
}

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Text for HTML element content and quoted attributes. */
export function html(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => escapes[c]!);
}

const colors = { pass: "#1a7f37", fail: "#cf222e", error: "#8250df", skipped: "#9a6700" } as const;

export function renderHtmlReport(results: Results, options: HtmlReportOptions = {}): string {
  const title = options.title ?? `clusterlab grade ${results.exercise}`;
  const bad = results.tests.filter((t) => t.status !== "pass");
  const m = results.metrics;
  const body = [
    `<h1>${html(results.exercise)}: <span class="status ${results.status}">${results.status.toUpperCase()}</span></h1>`,
    results.message ? `<p class="message">${html(results.message)}</p>` : "",
    `<p class="figures">${m.runs} runs, ${m.events} events, ${(m.simulatedMs / 1000).toFixed(1)} s simulated in ${(m.wallMs / 1000).toFixed(2)} s${m.msgsPerOp > 0 ? `; msgs/op ${m.msgsPerOp}` : ""}${m.latency.max > 0 ? `; latency p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms, max ${m.latency.max} ms` : ""}${results.historyHash ? `; history hash <code>${html(results.historyHash)}</code>` : ""}</p>`,
    `<p>Replay: <code>${html(results.replay)}</code></p>`,
    scenarioChart(results),
    options.failing ? `<h2>Messages of the first failing run: ${html(options.failing.test.name)}, seed ${options.failing.test.seed}</h2>${messageDiagram(options.failing.trace)}` : "",
    bad.length ? `<h2>Runs that did not pass (${bad.length})</h2>${bad.map(runDetails).join("\n")}` : "",
  ].join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: .5rem .75rem; border-radius: 6px; }
.status.pass { color: ${colors.pass}; } .status.fail { color: ${colors.fail}; } .status.error { color: ${colors.error}; } .status.skipped { color: ${colors.skipped}; }
table { border-collapse: collapse; } td, th { padding: .2rem .6rem; text-align: left; border-bottom: 1px solid #d0d7de; }
details { margin: .5rem 0; } summary { cursor: pointer; }
svg text { font: 11px ui-monospace, monospace; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** Seeds passed per scenario, as a table with a bar each (the chart needs no script). */
function scenarioChart(results: Results): string {
  const byScenario = new Map<string, TestResult[]>();
  for (const t of results.tests) byScenario.set(t.name, [...(byScenario.get(t.name) ?? []), t]);
  if (byScenario.size === 0) return "";
  const rows = [...byScenario].map(([name, tests]) => {
    const counts = (["pass", "fail", "error", "skipped"] as const).map((s) => [s, tests.filter((t) => t.status === s).length] as const);
    let x = 0;
    const bars = counts
      .filter(([, n]) => n > 0)
      .map(([s, n]) => {
        const w = (n / tests.length) * 200;
        const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="14" fill="${colors[s]}"><title>${n} ${s}</title></rect>`;
        x += w;
        return rect;
      })
      .join("");
    const ran = tests.find((t) => t.status !== "skipped");
    const latency = ran?.metrics.latencyP50Ms !== undefined && ran.metrics.ops !== undefined ? `p50 ${ran.metrics.latencyP50Ms} ms, p99 ${ran.metrics.latencyP99Ms} ms` : "";
    return `<tr><td>${html(name)}</td><td><svg width="200" height="14" role="img" aria-label="${counts.map(([s, n]) => `${n} ${s}`).join(", ")}">${bars}</svg></td><td>${counts[0]![1]}/${tests.length} seeds</td><td>${html(latency)}</td></tr>`;
  });
  return `<h2>Scenarios</h2><table><thead><tr><th>task &gt; scenario</th><th>seeds</th><th>passed</th><th>latency (first run)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function runDetails(t: TestResult): string {
  const parts = [`<pre>${html(t.message)}</pre>`];
  for (const f of t.failures.slice(1)) parts.push(`<p>also <b>${html(f.check)}</b>:</p><pre>${html(f.message)}</pre>`);
  if (t.knobs.length) parts.push(`<p>knobs:</p><pre>${html(t.knobs.join("\n"))}</pre>`);
  if (t.logs?.length) parts.push(`<p>node logs:</p><pre>${html(t.logs.join("\n"))}</pre>`);
  parts.push(`<p>replay: <code>${html(t.replay)}</code></p>`);
  return `<details><summary><span class="status ${t.status}">${t.status.toUpperCase()}</span> ${html(t.name)}, seed ${t.seed}${t.check ? ` (${html(t.check)})` : ""}</summary>${parts.join("")}</details>`;
}

/** How many messages the diagram draws: past this it stops being readable. */
const DIAGRAM_MESSAGES = 80;

/** A sequence diagram as inline SVG: a lane per node or client, an arrow per message from send to arrival. */
export function messageDiagram(trace: readonly TraceEntry[]): string {
  if (trace.length === 0) return "<p>This run recorded no messages.</p>";
  const shown = trace.slice(0, DIAGRAM_MESSAGES);
  const names = [...new Set(shown.flatMap((e) => [e.src, e.dest]))].sort((a, b) => lane(a) - lane(b) || (a < b ? -1 : 1));
  const laneGap = 110;
  const rowGap = 18;
  const left = 40;
  const top = 30;
  const width = left * 2 + laneGap * (names.length - 1);
  const height = top + rowGap * shown.length + 20;
  const xOf = (name: string) => left + laneGap * names.indexOf(name);
  const parts: string[] = [];
  names.forEach((name) => parts.push(`<text x="${xOf(name)}" y="14" text-anchor="middle">${html(name)}</text><line x1="${xOf(name)}" y1="20" x2="${xOf(name)}" y2="${height - 5}" stroke="#d0d7de"/>`));
  shown.forEach((e, i) => {
    const y = top + rowGap * i;
    const x1 = xOf(e.src);
    const x2 = xOf(e.dest);
    const delivered = e.fate === "delivered";
    const color = delivered ? "#0969da" : "#cf222e";
    const end = delivered ? x2 : x1 + (x2 - x1) * 0.6;
    const label = `${e.type} at ${e.sendMs} ms${e.recvMs !== undefined ? ` → ${e.recvMs} ms` : ""}${delivered ? "" : ` (${e.fate})`}`;
    parts.push(
      `<g><title>${html(`${e.src} → ${e.dest}: ${label}`)}</title><line x1="${x1}" y1="${y}" x2="${end}" y2="${y + (delivered ? 8 : 5)}" stroke="${color}" stroke-width="1.5"${delivered ? "" : ' stroke-dasharray="3 2"'}/>${delivered ? `<circle cx="${x2}" cy="${y + 8}" r="2.5" fill="${color}"/>` : `<text x="${end}" y="${y + 9}" fill="${color}" text-anchor="middle">×</text>`}<text x="${(x1 + x2) / 2}" y="${y - 2}" text-anchor="middle" fill="#57606a">${html(e.type)}</text></g>`,
    );
  });
  const note = trace.length > shown.length ? `<p>The first ${shown.length} of ${trace.length} messages; hover an arrow for its times.</p>` : "<p>Hover an arrow for its times.</p>";
  return `<div style="overflow-x:auto"><svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="message diagram">${parts.join("")}</svg></div>${note}`;
}

/** Clients first, then nodes, each by number. */
function lane(name: string): number {
  const m = /^([a-z]+)(\d+)$/.exec(name);
  if (!m) return 1e9;
  return (m[1] === "c" ? 0 : 1e6) + Number(m[2]);
}
