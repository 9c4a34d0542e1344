/**
 * A batch's output: for people, a summary table with a line per submission and each one's first failure; for
 * machines, one document holding every submission's results in the format asked for.
 */
import { renderJunitSuites, toExercism, toClassroom } from "../../../graders/index.ts";
import type { ExerciseDef, Results } from "../../../graders/index.ts";
import { reportTasks, type Format } from "./formats.ts";
import type { SubmissionResult } from "./grade-many.ts";

export const BATCH_VERSION = 1;

export interface BatchReport {
  exercise: ExerciseDef;
  graded: readonly SubmissionResult[];
  format: Format;
  /** Workers used. */
  jobs: number;
  wallMs: number;
  color: boolean;
}

export interface BatchSummary {
  submissions: number;
  pass: number;
  fail: number;
  error: number;
  cached: number;
  jobs: number;
  wallMs: number;
}

export function summarize(report: BatchReport): BatchSummary {
  const count = (status: Results["status"]) => report.graded.filter((g) => g.results.status === status).length;
  return { submissions: report.graded.length, pass: count("pass"), fail: count("fail"), error: count("error"), cached: report.graded.filter((g) => g.cached).length, jobs: report.jobs, wallMs: report.wallMs };
}

/** Points scored and available, as the classroom report counts them. */
function score(report: BatchReport, results: Results): { score: number; maxScore: number } {
  const classroom = toClassroom(results, { tasks: reportTasks(report.exercise) });
  return { score: Math.round(classroom.tests.reduce((sum, t) => sum + t.score, 0) * 100) / 100, maxScore: classroom.max_score };
}

export function renderBatch(report: BatchReport): string {
  const { exercise, graded } = report;
  const tasks = reportTasks(exercise);
  switch (report.format) {
    case "text":
      return renderBatchText(report);
    case "json":
      return `${JSON.stringify(
        {
          version: BATCH_VERSION,
          exercise: exercise.slug,
          summary: summarize(report),
          submissions: graded.map((g) => ({ file: g.submission.label, cached: g.cached, wallMs: g.wallMs, ...score(report, g.results), results: g.results })),
        },
        null,
        2,
      )}\n`;
    case "junit":
      return renderJunitSuites(graded.map((g) => ({ name: `${exercise.slug} ${g.submission.label}`, results: g.results })));
    case "exercism":
      return `${JSON.stringify({ exercise: exercise.slug, submissions: graded.map((g) => ({ file: g.submission.label, results: toExercism(g.results, exercise.tasks) })) }, null, 2)}\n`;
    case "classroom":
      return `${JSON.stringify({ exercise: exercise.slug, submissions: graded.map((g) => ({ file: g.submission.label, results: toClassroom(g.results, { tasks, filename: g.submission.label }) })) }, null, 2)}\n`;
  }
}

function renderBatchText(report: BatchReport): string {
  const paint = (code: string, text: string) => (report.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const marks = { pass: ["32", "PASS"], fail: ["31", "FAIL"], error: ["35", "ERROR"] } as const;
  const mark = (status: Results["status"], width = 0) => paint(marks[status][0], marks[status][1].padEnd(width));
  const s = summarize(report);
  const lines = [
    `${report.exercise.slug}: ${s.submissions} submissions with ${s.jobs} ${s.jobs === 1 ? "worker" : "workers"} in ${(s.wallMs / 1000).toFixed(1)} s${s.cached ? ` (${s.cached} not graded again: from the cache or identical to another)` : ""}: ${s.pass} pass, ${s.fail} fail, ${s.error} error`,
    "",
  ];
  const rows = report.graded.map((g) => {
    const ran = g.results.tests.filter((t) => t.status !== "skipped");
    const passed = ran.filter((t) => t.status === "pass").length;
    const points = score(report, g.results);
    return { g, runs: `${passed}/${g.results.tests.length}`, score: `${points.score}/${points.maxScore}`, seconds: g.cached ? "reused" : (g.wallMs / 1000).toFixed(1) };
  });
  const width = (key: "runs" | "score" | "seconds", title: string) => Math.max(title.length, ...rows.map((r) => r[key].length));
  const [wRuns, wScore, wSeconds] = [width("runs", "runs"), width("score", "score"), width("seconds", "seconds")];
  lines.push(`  ${"status".padEnd(6)}  ${"runs".padEnd(wRuns)}  ${"score".padEnd(wScore)}  ${"seconds".padStart(wSeconds)}  submission`);
  for (const r of rows) lines.push(`  ${mark(r.g.results.status, 6)}  ${r.runs.padEnd(wRuns)}  ${r.score.padEnd(wScore)}  ${r.seconds.padStart(wSeconds)}  ${r.g.submission.label}`);
  for (const { g } of rows) {
    if (g.results.status === "pass") continue;
    const message = g.results.message ?? "";
    const shown = message.split("\n").slice(0, 4);
    lines.push("", `${mark(g.results.status)} ${g.submission.label}`, ...shown.map((l) => `  ${l}`));
    if (message.split("\n").length > shown.length) lines.push("  …");
    if (g.results.tests.length) lines.push(`  replay: ${paint("1", g.results.replay)}`);
  }
  return `${lines.join("\n")}\n`;
}
