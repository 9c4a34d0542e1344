import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "uniform", minMs: 1, maxMs: 10 } as const;

export default defineExercise({
  slug: "echo",
  title: "Echo: your first node",
  lesson: "01-foundations/01-what-is-a-distributed-system",
  harness: "node",
  instructions:
    'Every node receives `{type: "echo", echo: x}` from clients and must answer `{type: "echo_ok", echo: x}` with `node.reply`. This is the message envelope every later exercise uses.',
  tasks: [
    {
      id: "one-node",
      title: "One node",
      description: "A single node answers every echo.",
      scenarios: [{ name: "single", nodes: 1, durationMs: 2000, network: { latency }, workload: { name: "echo", rate: 20, clients: 1 } }],
      checks: [{ name: "echo" }],
    },
    {
      id: "cluster",
      title: "Five nodes",
      description: "Five nodes, and clients talk to any of them: a reply must name the request it answers.",
      scenarios: [{ name: "five-nodes", nodes: 5, durationMs: 3000, network: { latency }, workload: { name: "echo", rate: 100, clients: 5 } }],
      checks: [{ name: "echo" }],
    },
  ],
  hints: [
    "Register a handler with `node.on(\"echo\", (msg) => …)`.",
    "Reply with `node.reply(msg, { type: \"echo_ok\", echo: msg.body.echo })`: it sends to `msg.src` and sets `in_reply_to` to the request's `msg_id`, which is how a client matches a reply to its request.",
  ],
});
