/**
 * What `clusterlab new` writes: an exercise that already holds to everything `clusterlab validate` checks, so
 * an author starts from green and changes one thing at a time. A node exercise starts as an echo service
 * (the echo workload); a component exercise as a round-robin balancer (the load-balancer system). Each has a
 * reference solution, a failing starter, five known-wrong solutions that each name the check they fail, and two
 * correct alternatives. A design exercise starts as a small URL shortener (scaffold-design.ts).
 */
import { designFiles } from "./scaffold-design.ts";

export type ScaffoldHarness = "node" | "component" | "design";

export interface ScaffoldSpec {
  slug: string;
  title: string;
  harness: ScaffoldHarness;
  /** The lesson that embeds it, as exercise.ts names it: "<NN-part>/<NN-lesson>". */
  lesson: string;
}

/** Files relative to exercises/<slug>/. */
export function scaffoldFiles(spec: ScaffoldSpec): Record<string, string> {
  return templates[spec.harness](spec);
}

const header = (spec: ScaffoldSpec, what: string) =>
  `// Scaffolded by \`clusterlab new ${spec.slug} --harness ${spec.harness}\`: ${what}\n// Make it yours, then run \`clusterlab validate ${spec.slug}\` (it checks what the test suite checks).\n`;

function nodeFiles(spec: ScaffoldSpec): Record<string, string> {
  const wrong = (check: string, why: string, body: string) => `// fails: ${check}\n// ${why}\nimport type { Node } from "clusterlab";\n\nexport default function start(node: Node) {\n${body}\n}\n`;
  return {
    "exercise.ts": `${header(spec, "a working node exercise (an echo service) to start from.")}import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "uniform", minMs: 1, maxMs: 10 } as const;

export default defineExercise({
  slug: ${JSON.stringify(spec.slug)},
  title: ${JSON.stringify(spec.title)},
  lesson: ${JSON.stringify(spec.lesson)},
  harness: "node",
  instructions: 'Every node receives \`{type: "echo", echo: x}\` from clients and must answer \`{type: "echo_ok", echo: x}\` with \`node.reply\`.',
  tasks: [
    {
      id: "one-node",
      title: "One node",
      description: "A single node answers every request.",
      scenarios: [{ name: "single", nodes: 1, durationMs: 2000, network: { latency }, workload: { name: "echo", rate: 20, clients: 1 } }],
      checks: [{ name: "echo" }],
      // What the task is worth in a classroom grade (default 1).
      points: 1,
    },
    {
      id: "cluster",
      title: "Five nodes",
      description: "Five nodes; clients talk to any of them.",
      scenarios: [{ name: "five-nodes", nodes: 5, durationMs: 3000, network: { latency }, workload: { name: "echo", rate: 100, clients: 5 } }],
      checks: [{ name: "echo" }],
      points: 2,
    },
  ],
  hints: ['Register a handler with \`node.on("echo", (msg) => …)\`.', 'Reply with \`node.reply(msg, { type: "echo_ok", echo: msg.body.echo })\`.'],
});
`,
    "starter.ts": `import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => {
    // TODO: answer with {type: "echo_ok", echo: <the same value>}
  });
}
`,
    ".meta/solution.ts": `import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => node.reply(msg, { type: "echo_ok", echo: msg.body.echo }));
}
`,
    ".meta/alternatives/explicit-send.ts": `// Builds the reply by hand: to the sender, naming the request it answers.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => node.send(msg.src, { type: "echo_ok", echo: msg.body.echo, in_reply_to: msg.body.msg_id }));
}
`,
    ".meta/alternatives/later.ts": `// Answers a tick later, on a timer: the reply still names its request.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => {
    node.after(1, () => node.reply(msg, { type: "echo_ok", echo: msg.body.echo }));
  });
}
`,
    ".meta/wrong/wrong-value.ts": wrong("echo", "Answers, but with a value of its own.", `  node.on("echo", (msg) => node.reply(msg, { type: "echo_ok", echo: \`\${msg.body.echo}!\` }));`),
    ".meta/wrong/request-type.ts": wrong("echo", 'Sends the body back as it came: the client waits for "echo_ok" and gets "echo".', "  node.on(\"echo\", (msg) => node.reply(msg, msg.body));"),
    ".meta/wrong/reply-to-self.ts": wrong("echo", "Addresses the answer to msg.dest, this node itself, not the client that asked.", `  node.on("echo", (msg) => node.send(msg.dest, { type: "echo_ok", echo: msg.body.echo, in_reply_to: msg.body.msg_id }));`),
    ".meta/wrong/never-replies.ts": wrong("echo", "Handles the request and forgets to answer.", `  node.on("echo", (msg) => {\n    node.log("got", msg.body.echo);\n  });`),
    ".meta/wrong/throws.ts": wrong("no-errors", "Reads a field the body does not have: the handler throws and never replies.", `  node.on("echo", (msg) => {\n    const value = (msg.body.payload as { echo: unknown }).echo;\n    node.reply(msg, { type: "echo_ok", echo: value });\n  });`),
  };
}

function componentFiles(spec: ScaffoldSpec): Record<string, string> {
  const wrong = (check: string, why: string, body: string) =>
    `// fails: ${check}\n// ${why}\nimport type { Balancer, ServerInfo } from "clusterlab";\n\nfunction roundRobin(servers: readonly ServerInfo[]): Balancer {\n${body}\n}\n\nexport default { roundRobin };\n`;
  return {
    "exercise.ts": `${header(spec, "a working component exercise (a round-robin balancer) to start from.")}import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "load-balancer";

export default defineExercise({
  slug: ${JSON.stringify(spec.slug)},
  title: ${JSON.stringify(spec.title)},
  lesson: ${JSON.stringify(spec.lesson)},
  harness: "component",
  instructions: "Export \`{ roundRobin }\`: a factory that gets the servers (\`index\`, \`name\`, \`weight\`) and returns a balancer whose \`pick(client)\` returns the index of the server for each request, in turn.",
  tasks: [
    {
      id: "round-robin",
      title: "Round robin",
      description: "Four equal servers at 70% load: spread requests evenly (busiest server ≤ 1.02× the mean).",
      scenarios: [componentScenario({ name: "equal-servers", system, durationMs: 10_000, ratePerSec: 280, options: { strategy: "roundRobin", servers: 4, serviceMs: 10 } })],
      checks: [{ name: "imbalance", params: { max: 1.02 } }, { name: "error-rate", params: { max: 0 } }],
      // What the task is worth in a classroom grade (default 1).
      points: 1,
    },
  ],
  hints: ["Keep a counter in the factory's closure.", "Return \`next++ % servers.length\`."],
});
`,
    "starter.ts": `import type { Balancer, ServerInfo } from "clusterlab";

// Return a balancer whose pick(client) chooses a server index for each request.
function roundRobin(servers: readonly ServerInfo[]): Balancer {
  return { pick: () => 0 };
}

export default { roundRobin };
`,
    ".meta/solution.ts": `import type { Balancer, ServerInfo } from "clusterlab";

function roundRobin(servers: readonly ServerInfo[]): Balancer {
  let next = 0;
  return {
    pick() {
      const server = next;
      next = (next + 1) % servers.length;
      return server;
    },
  };
}

export default { roundRobin };
`,
    ".meta/alternatives/counter.ts": `// One counter that only grows, taken modulo the number of servers.
import type { Balancer, ServerInfo } from "clusterlab";

function roundRobin(servers: readonly ServerInfo[]): Balancer {
  let count = 0;
  return { pick: () => count++ % servers.length };
}

export default { roundRobin };
`,
    ".meta/alternatives/rotation.ts": `// A queue of servers: take the first, put it at the back.
import type { Balancer, ServerInfo } from "clusterlab";

function roundRobin(servers: readonly ServerInfo[]): Balancer {
  const queue = servers.map((s) => s.index);
  return {
    pick() {
      const server = queue.shift()!;
      queue.push(server);
      return server;
    },
  };
}

export default { roundRobin };
`,
    ".meta/wrong/two-servers.ts": wrong("imbalance", "Alternates between the first two servers only.", "  let next = 0;\n  return { pick: () => (next = 1 - next) };"),
    ".meta/wrong/off-by-one.ts": wrong("imbalance", "Wraps one server too early: the last one never gets a request.", "  let next = 0;\n  return {\n    pick() {\n      next = (next + 1) % (servers.length - 1);\n      return next;\n    },\n  };"),
    ".meta/wrong/random.ts": wrong("imbalance", "Picks at random: even on average, but not evenly enough over ten seconds.", "  return { pick: () => Math.floor(Math.random() * servers.length) };"),
    ".meta/wrong/weighted-by-index.ts": wrong("imbalance", "Gives server i a share growing with its index, as if the index were a weight.", "  let turn = 0;\n  const slots = servers.flatMap((s) => Array.from({ length: s.index + 1 }, () => s.index));\n  return { pick: () => slots[turn++ % slots.length]! };"),
    ".meta/wrong/throws.ts": wrong("no-errors", "Throws on every pick.", "  return {\n    pick() {\n      throw new Error(`no server chosen among ${servers.length}`);\n    },\n  };"),
  };
}

/** Each harness's template, by name: the harnesses `clusterlab new` offers are the keys. */
const templates: Record<ScaffoldHarness, (spec: ScaffoldSpec) => Record<string, string>> = {
  node: nodeFiles,
  component: componentFiles,
  design: (spec) => designFiles(spec, header(spec, "a working design exercise (a small URL shortener) to start from.")),
};

/** The harnesses `clusterlab new` has a template for. */
export const scaffoldHarnesses = Object.keys(templates) as readonly ScaffoldHarness[];

/** A lesson stub that embeds the exercise, with the frontmatter the content schema requires. */
export function lessonStub(spec: ScaffoldSpec, part: number, order: number): string {
  return `---
title: ${JSON.stringify(spec.title)}
description: TODO one or two sentences on what this lesson teaches (shown in search results and link previews).
part: ${part}
order: ${order}
exercises: [${spec.slug}]
---

import Exercise from "../../src/components/Exercise.astro";

TODO: teach the idea the exercise practises, then let the learner try it.

<Exercise slug="${spec.slug}" />
`;
}

/** An existing lesson with the exercise added: listed in its frontmatter and embedded at its end. */
export function addToLesson(text: string, slug: string): string {
  let out = text;
  const list = /^exercises:\s*\[([^\]]*)\]/m.exec(out);
  if (list) {
    const items = list[1]!.split(",").map((s) => s.trim()).filter(Boolean);
    if (!items.some((s) => s.replace(/^["']|["']$/g, "") === slug)) out = out.replace(list[0], `exercises: [${[...items, slug].join(", ")}]`);
  } else {
    out = out.replace(/^---\n/, `---\nexercises: [${slug}]\n`);
  }
  if (!/^import Exercise from /m.test(out)) out = out.replace(/^(---\n[\s\S]*?\n---\n)/, `$1\nimport Exercise from "../../src/components/Exercise.astro";\n`);
  if (!new RegExp(`<Exercise\\s+slug="${slug}"`).test(out)) out = `${out.replace(/\s*$/, "\n")}\n<Exercise slug="${slug}" />\n`;
  return out;
}
