/**
 * Results as JUnit XML, the format CI servers (Jenkins, GitLab, GitHub test reporters) read: a <testsuite> per
 * graded solution, a <testcase> per task × scenario × seed. A pure function of the results objects, so the CLI
 * and tests render the same text. The structure follows the Jenkins JUnit schema (junit-10.xsd): every
 * <testsuite> has a name and counts of tests, failures, errors and skipped; every <testcase> a name and classname;
 * a failed run holds one <failure>, a run that could not be judged one <error>, a run never started <skipped>.
 */
import type { Results, TestResult } from "./results.ts";

export interface JunitSuite {
  /** The suite's name: the exercise, and which solution when several are graded together. */
  name: string;
  results: Results;
}

/** One suite: a single grade. */
export function renderJunit(results: Results, name = results.exercise): string {
  return renderJunitSuites([{ name, results }]);
}

/** Many suites in one <testsuites> document: a batch of solutions. */
export function renderJunitSuites(suites: readonly JunitSuite[]): string {
  const rendered = suites.map(renderSuite);
  const sum = (key: keyof Counts) => rendered.reduce((total, s) => total + s.counts[key], 0);
  const seconds = rendered.reduce((total, s) => total + s.seconds, 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="clusterlab" tests="${sum("tests")}" failures="${sum("failures")}" errors="${sum("errors")}" skipped="${sum("skipped")}" time="${formatSeconds(seconds)}">`,
    ...rendered.map((s) => s.xml),
    `</testsuites>`,
    "",
  ].join("\n");
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function renderSuite({ name, results }: JunitSuite): { xml: string; counts: Counts; seconds: number } {
  // A grade that ran nothing (type errors, a grader failure) still needs a testcase to carry its message,
  // or a CI report would show an empty, green suite.
  const cases = results.tests.length ? results.tests.map((t) => renderCase(results.exercise, t)) : [renderNothingRan(results)];
  const counts: Counts = {
    tests: cases.length,
    failures: cases.filter((c) => c.status === "fail").length,
    errors: cases.filter((c) => c.status === "error").length,
    skipped: cases.filter((c) => c.status === "skipped").length,
  };
  const seconds = results.metrics.wallMs / 1000;
  const open = `  <testsuite name="${attr(name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${formatSeconds(seconds)}">`;
  const properties = [
    `    <properties>`,
    `      <property name="exercise" value="${attr(results.exercise)}"/>`,
    `      <property name="status" value="${attr(results.status)}"/>`,
    `      <property name="historyHash" value="${attr(results.historyHash)}"/>`,
    `      <property name="replay" value="${attr(results.replay)}"/>`,
    `    </properties>`,
  ];
  return { xml: [open, ...properties, ...cases.map((c) => c.xml), `  </testsuite>`].join("\n"), counts, seconds };
}

function renderCase(exercise: string, test: TestResult): { xml: string; status: TestResult["status"] } {
  // classname groups cases by task in every JUnit viewer; the name says which scenario and seed.
  const head = `    <testcase name="${attr(`${test.scenario} seed ${test.seed}`)}" classname="${attr(`${exercise}.${test.taskId}`)}" time="${formatSeconds((test.metrics.wallMs ?? 0) / 1000)}"`;
  if (test.status === "pass") return { xml: `${head}/>`, status: "pass" };
  if (test.status === "skipped") return { xml: `${head}>\n      <skipped message="${attr(test.message)}"/>\n    </testcase>`, status: "skipped" };
  const element = test.status === "fail" ? "failure" : "error";
  const type = test.check ?? (test.status === "error" ? "error" : "fail");
  return { xml: `${head}>\n      <${element} message="${attr(test.message)}" type="${attr(type)}">${text(details(test))}</${element}>\n    </testcase>`, status: test.status };
}

function renderNothingRan(results: Results): { xml: string; status: TestResult["status"] } {
  const element = results.status === "fail" ? "failure" : "error";
  const message = results.message ?? "nothing was graded";
  return {
    xml: `    <testcase name="grade" classname="${attr(results.exercise)}" time="0">\n      <${element} message="${attr(message)}" type="${results.status}">${text(`${message}\nreplay: ${results.replay}`)}</${element}>\n    </testcase>`,
    status: results.status,
  };
}

/** Everything a reader needs to act on a failing run, as the text CLI prints it. */
function details(test: TestResult): string {
  const lines = [test.message];
  for (const f of test.failures.slice(1)) lines.push(`also ${f.check}: ${f.message}`);
  if (test.knobs.length) lines.push("knobs:", ...test.knobs.map((k) => `  ${k}`));
  if (test.logs?.length) lines.push("node logs:", ...test.logs.map((l) => `  ${l}`));
  lines.push(`replay: ${test.replay}`);
  return lines.join("\n");
}

const formatSeconds = (seconds: number): string => (Math.round(seconds * 1000) / 1000).toFixed(3);

/**
 * Characters XML 1.0 cannot hold at all, even escaped: C0 controls other than tab, newline and return, lone
 * surrogates, U+FFFE and U+FFFF. Learner code writes messages and logs, so any of them can turn up here; each
 * becomes a visible \uXXXX so the document stays well-formed and the reader still sees what was there.
 */
const notXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const visible = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Element text: markup characters escaped (">" too, so "]]>" can never appear); a return kept as a reference,
 * since a parser turns a literal one into a newline. */
export function xmlText(value: string): string {
  return value.replace(notXml, visible).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** An attribute value in double quotes: whitespace other than spaces kept as character references, since
 * a parser normalises a literal tab or newline in an attribute to a space. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}

const text = xmlText;
const attr = xmlAttr;
