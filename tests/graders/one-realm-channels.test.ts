// In the one-realm sandbox every node's code runs in one realm, so anything two nodes are both handed is a
// possible back channel between them. The `require` a node harness's scope gets (it has none: a stand-in
// that throws) was one: n1 wrote a property on it and n2 read it (1, 2, 3 across three nodes). It is
// frozen now: each node's write is lost, as in isolated-vm, where each node has a realm of its own.
import { expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import { createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import type { ScenarioSpec } from "../../graders/sim/scenario.ts";

const source = `
let seen: unknown = "none";
try { const r: any = typeof require !== "undefined" ? require : undefined; if (r) { r.__n = (r.__n ?? 0) + 1; seen = r.__n; } } catch { seen = "refused"; }
export default function start(node: any) {
  console.log("require " + String(seen));
  node.on("add", (msg: any) => node.reply(msg, { type: "add_ok" }));
  node.on("read", (msg: any) => node.reply(msg, { type: "read_ok", value: 0 }));
}
`;
const scenario = { name: "channels", nodes: 3, durationMs: 300, settleMs: 100, network: { latency: { dist: "constant", ms: 1 } }, workload: { name: "g-counter", rate: 10, clients: 1 } } as ScenarioSpec;

it("gives the nodes of one realm no shared require to write on", async () => {
  const transpiled = await transpileSolution(source, "channels.ts");
  if ("errors" in transpiled) throw new Error(transpiled.errors[0]!.text);
  const out = await createOneRealmIvmSandbox().run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: transpiled.js, harness: "node", limits: { wallMs: 30_000 } });
  if (out.kind !== "data") throw new Error(out.message);
  const lines = out.data.logs.map((l) => `${l.node}: ${l.text}`);
  expect(lines).toHaveLength(3);
  expect(lines.filter((l) => /require \d/.test(l))).toEqual([]);
}, 60_000);
