// Messages that fit the failure: a root cause found in the run's own data is said first, and a run without
// faults is never explained by faults. Every check of the node workloads echo, unique-ids, broadcast and
// g-counter (their own and the generic ones) is made to fail in a fault-free run, and none of those messages
// may speak of partitions, heals or crashes; the common causes are each shown on a solution that has them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineExercise, genericChecks, getWorkload, grade, type ExerciseDef, type ScenarioSpec } from "../../graders/index.ts";
import { createIsolatedVmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { faultFacts, finalReadsPhrase, hadFaults } from "../../graders/workloads/diagnose.ts";
import type { FaultEvent } from "../../graders/sim/scenario.ts";
import { nodeRun } from "../support/runs.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const sandbox = createIsolatedVmSandbox();
const faultWords = /partition|heal|crash/i;

async function compile(source: string): Promise<string> {
  const out = await transpileSolution(source, "inline.ts");
  if ("errors" in out) throw new Error(`inline solution does not compile: ${out.errors[0]!.text}`);
  return out.js;
}

/** Every check a scenario of this workload can name, each with params it cannot meet when anything is off. */
function everyCheck(workload: string) {
  const strict: Record<string, Record<string, number>> = {
    "msgs-per-op": { max: 0 },
    availability: { min: 1 },
    latency: { p50Max: 0 },
    "stable-latency": { p50Max: 0, maxMax: 0 },
  };
  const names = new Set([...Object.keys(getWorkload(workload).checks), ...Object.keys(genericChecks)]);
  return [...names].map((name) => ({ name, ...(strict[name] ? { params: strict[name] } : {}) }));
}

function faultFree(workload: string, nodes: number, rate: number): ScenarioSpec {
  return { name: "calm", nodes, durationMs: 1500, settleMs: 500, network: { latency: { dist: "uniform", minMs: 1, maxMs: 5 } }, workload: { name: workload, rate, clients: 3 } };
}

function probe(workload: string, scenario: ScenarioSpec): ExerciseDef {
  return defineExercise({
    slug: `probe-${workload}`,
    title: "probe",
    lesson: "probe",
    harness: "node",
    instructions: "",
    hints: [],
    tasks: [{ id: "all", title: "all", description: "", scenarios: [scenario], checks: everyCheck(workload) }],
  });
}

// Per workload, solutions that between them fail every check in a healthy network: silent, throwing, chatty.
const solutions: Record<string, { nodes: number; rate: number; sources: string[] }> = {
  echo: {
    nodes: 3,
    rate: 30,
    sources: [
      `export default function start(node) { node.on("echo", () => {}); }`,
      `export default function start(node) {
         let n = 0;
         node.on("echo", (msg) => { if (++n % 2) throw new Error("odd"); node.reply(msg, { type: "echo_ok", echo: "x" }); });
       }`,
      `export default function start(node) {
         node.on("echo", (msg) => { for (const p of node.peers) node.send(p, { type: "ping" }); node.after(50, () => node.reply(msg, { type: "echo_ok", echo: msg.body.echo })); });
         node.on("ping", () => {});
       }`,
    ],
  },
  "unique-ids": {
    nodes: 3,
    rate: 60,
    sources: [
      `export default function start(node) { node.on("generate", (msg) => node.reply(msg, { type: "generate_ok", id: 7 })); }`,
      `export default function start(node) {
         let n = 0;
         node.on("generate", (msg) => { if (++n % 2) throw new Error("odd"); node.send(msg.src, { type: "generate_ok", id: node.id + n }); });
       }`,
      `export default function start(node) {
         let n = 0;
         node.on("generate", (msg) => { for (const p of node.peers) node.send(p, { type: "ping" }); node.after(20, () => node.reply(msg, { type: "generate_ok", id: node.id + "-" + n++ })); });
         node.on("ping", () => {});
       }`,
    ],
  },
  broadcast: {
    nodes: 4,
    rate: 40,
    sources: [
      readFileSync(join(exercisesDir, "broadcast", "starter.ts"), "utf8"),
      `export default function start(node) {
         node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
         node.on("broadcast", () => { throw new Error("not yet"); });
         node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [] }));
       }`,
      readFileSync(join(exercisesDir, "broadcast", ".meta", "wrong", "slow-gossip.ts"), "utf8"),
    ],
  },
  "g-counter": {
    nodes: 3,
    rate: 40,
    sources: [
      readFileSync(join(exercisesDir, "g-counter", "starter.ts"), "utf8"),
      `export default function start(node) {
         node.on("add", () => { throw new Error("not yet"); });
         node.on("read", () => {});
       }`,
      readFileSync(join(exercisesDir, "g-counter", ".meta", "solution.ts"), "utf8"),
    ],
  },
};

describe.each(Object.entries(solutions))("%s: in a run without faults", (workload, { nodes, rate, sources }) => {
  it("every check fails on some solution, and no message speaks of partitions, heals or crashes", async () => {
    const exercise = probe(workload, faultFree(workload, nodes, rate));
    const messages = new Map<string, string[]>();
    for (const source of sources) {
      const results = await grade({ exercise, solutionJs: await compile(source), solutionLabel: "probe.ts", sandbox, seeds: [1, 2] });
      for (const test of results.tests) {
        expect(test.status, test.message).not.toBe("error");
        for (const f of test.failures) messages.set(f.check, [...(messages.get(f.check) ?? []), f.message]);
      }
    }
    // Not vacuous: each check of the workload did fail somewhere.
    expect([...messages.keys()].sort()).toEqual(everyCheck(workload).map((c) => c.name).sort());
    for (const [check, texts] of messages) for (const text of texts) expect(text, `${check}: ${text}`).not.toMatch(faultWords);
  }, 120_000);
});

describe("root causes come first, named from the run", () => {
  const gradeMeta = async (slug: string, file: string, seeds = [1], scenario?: number | string) => {
    const exercise = (await loadExercise(slug))!;
    const path = join(exercisesDir, slug, file);
    return grade({ exercise, solutionJs: await readSolutionJs(path), solutionLabel: file, sandbox, seeds, ...(scenario !== undefined ? { scenario } : {}) });
  };
  const firstMessage = async (slug: string, file: string, scenario?: number | string) => {
    const results = await gradeMeta(slug, file, [1], scenario);
    const failing = results.tests.find((t) => t.status === "fail");
    expect(failing, `${file} should fail`).toBeTruthy();
    return failing!.message;
  };

  it("the broadcast starter's five-node failure names the missing forwarding, and no fault", async () => {
    const message = await firstMessage("broadcast", "starter.ts", "five-nodes");
    expect(message).toMatch(/^delivery: The 5 nodes sent each other no message at all/);
    expect(message).toMatch(/no node forwards a value to the others/);
    expect(message).toMatch(/Forward each new value/);
    expect(message).not.toMatch(faultWords);
  }, 60_000);

  it("a reply without in_reply_to: the reply was sent, but matched no request", async () => {
    const message = await firstMessage("echo", ".meta/wrong/send-without-reply.ts");
    expect(message).toMatch(/^echo: n1 did reply, but its replies to \d+ requests matched no request/);
    expect(message).toMatch(/in_reply_to/);
    expect(message).toMatch(/got no echo_ok/);
  }, 60_000);

  it("a reply to the wrong destination", async () => {
    expect(await firstMessage("echo", ".meta/wrong/reply-to-self.ts")).toMatch(/sent its answer to c1's "echo" \(at \d+ ms\) to itself instead of to c1/);
  }, 60_000);

  it("a reply of the wrong type", async () => {
    expect(await firstMessage("echo", ".meta/wrong/request-type.ts")).toMatch(/with a message of type "echo".*the client expects "echo_ok"/);
  }, 60_000);

  it("a handler that never replies", async () => {
    const message = await firstMessage("echo", "starter.ts");
    expect(message).toMatch(/^echo: n1 received c1's "echo" at \d+ ms and sent c1 nothing back before it gave up/);
    expect(message).toMatch(/on every path of its handler/);
  }, 60_000);

  it("an uncaught rejection leads the echo check's message too", async () => {
    const results = await gradeMeta("echo", ".meta/wrong/async-throws.ts");
    const echo = results.tests[0]!.failures.find((f) => f.check === "echo")!;
    expect(echo.message).toMatch(/^n1 failed at \d+ ms: the "echo" handler rejected with SyntaxError/);
  }, 60_000);

  it("messages lost to partitions and never resent: said after the evidence, in a run that had partitions", async () => {
    const message = await firstMessage("broadcast", ".meta/wrong/no-retry.ts", "partitions");
    expect(message).toMatch(/^delivery: After the faults healed \(the last at [\d.]+ m?s\), at the final reads at [\d.]+ m?s, every node must have/);
    expect(message).toMatch(/never arrived \(\d+ to partitions\), and no node ever sent a message from a timer/);
  }, 60_000);

  it("values that travel one hop only", async () => {
    expect(await firstMessage("broadcast", ".meta/wrong/one-hop.ts", "five-nodes")).toMatch(/^delivery: Values travel one hop only/);
  }, 60_000);

  it("a node that waits on another before answering, under partitions", async () => {
    expect(await firstMessage("unique-ids", ".meta/wrong/ask-the-leader.ts", "partitions-crashes")).toMatch(/^availability: n\d asked another node before answering/);
  }, 60_000);
});

describe("the run's faults, from its knobs", () => {
  const scenario = faultFree("broadcast", 3, 10);
  const run = (faults: FaultEvent[], lossRate = 0) => nodeRun({ scenario, knobs: { lossRate, faults } });

  it("a calm run's final reads are after the clients stopped", () => {
    expect(hadFaults(faultFacts(run([])))).toBe(false);
    expect(finalReadsPhrase(run([]))).toBe("At the final reads, 500 ms after the clients stopped");
    expect(finalReadsPhrase(run([], 0.05))).toBe("At the final reads, 500 ms after the clients stopped (with 5% of messages lost throughout)");
  });

  it("a run with partitions and crashes names when the last one healed", () => {
    const faults: FaultEvent[] = [
      { atMs: 100, kind: "partition", label: "n1 | n2 n3", blocked: [["n1", "n2"]] },
      { atMs: 400, kind: "heal" },
      { atMs: 600, kind: "crash", node: "n2" },
      { atMs: 900, kind: "restart", node: "n2" },
    ];
    expect(faultFacts(run(faults))).toMatchObject({ partitions: 1, crashes: 1, healedAtMs: 900 });
    expect(finalReadsPhrase(run(faults))).toBe("After the faults healed (the last at 900 ms), at the final reads at 2000 ms");
  });
});
