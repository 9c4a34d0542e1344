// The structure the JUnit schema CI servers use (Jenkins' junit-10.xsd, which GitLab and GitHub test reporters
// follow) requires of a document, checked on a parsed tree: which elements go where, in which order, the
// required attributes, and numbers where the schema has xs:int or xs:decimal. Returns the problems found.
import type { XmlElement } from "./xml.ts";

const INT = /^\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function junitProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => void (ok || problems.push(what));
  need(root.name === "testsuites", `the root is <testsuites>, not <${root.name}>`);
  for (const key of ["tests", "failures", "errors", "skipped"]) if (key in root.attributes) need(INT.test(root.attributes[key]!), `testsuites ${key} is an integer`);
  if ("time" in root.attributes) need(DECIMAL.test(root.attributes.time!), "testsuites time is a decimal");
  for (const suite of root.children) {
    need(suite.name === "testsuite", `<testsuites> holds only <testsuite>, not <${suite.name}>`);
    need(typeof suite.attributes.name === "string" && suite.attributes.name !== "", "a testsuite has a name");
    need(INT.test(suite.attributes.tests ?? ""), "a testsuite has tests, an integer");
    for (const key of ["failures", "errors", "skipped"]) if (key in suite.attributes) need(INT.test(suite.attributes[key]!), `testsuite ${key} is an integer`);
    if ("time" in suite.attributes) need(DECIMAL.test(suite.attributes.time!), "testsuite time is a decimal");
    // properties?, testcase*, system-out?, system-err?, in that order.
    const order = ["properties", "testcase", "system-out", "system-err"];
    let at = 0;
    for (const child of suite.children) {
      const rank = order.indexOf(child.name);
      need(rank !== -1, `a testsuite holds no <${child.name}>`);
      need(rank >= at, `<${child.name}> comes after the testsuite's <${order[at]}>`);
      at = Math.max(at, rank);
    }
    for (const prop of suite.children.filter((c) => c.name === "properties").flatMap((p) => p.children)) {
      need(prop.name === "property" && "name" in prop.attributes && "value" in prop.attributes, "a property has a name and a value");
    }
    const cases = suite.children.filter((c) => c.name === "testcase");
    need(String(cases.length) === suite.attributes.tests, `testsuite ${suite.attributes.name} says tests="${suite.attributes.tests}" and holds ${cases.length}`);
    const count = (name: string) => cases.filter((c) => c.children.some((e) => e.name === name)).length;
    if ("failures" in suite.attributes) need(String(count("failure")) === suite.attributes.failures, "testsuite failures counts its testcases with a <failure>");
    if ("errors" in suite.attributes) need(String(count("error")) === suite.attributes.errors, "testsuite errors counts its testcases with an <error>");
    if ("skipped" in suite.attributes) need(String(count("skipped")) === suite.attributes.skipped, "testsuite skipped counts its testcases with <skipped>");
    for (const test of cases) {
      need(typeof test.attributes.name === "string" && test.attributes.name !== "", "a testcase has a name");
      if ("time" in test.attributes) need(DECIMAL.test(test.attributes.time!), "testcase time is a decimal");
      const names = test.children.map((c) => c.name);
      for (const name of names) need(["skipped", "error", "failure", "system-out", "system-err"].includes(name), `a testcase holds no <${name}>`);
      need(names.filter((n) => n === "skipped").length <= 1, "a testcase is skipped at most once");
      for (const verdict of test.children.filter((c) => c.name === "failure" || c.name === "error")) need(verdict.children.length === 0, `<${verdict.name}> holds text only`);
    }
  }
  return problems;
}
