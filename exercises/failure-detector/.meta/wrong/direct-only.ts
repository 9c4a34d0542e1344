// fails: accuracy
import type { Node } from "clusterlab";

// Heartbeats to three random peers a round, within the budget, but each node believes only what it hears
// directly: with 25 nodes a given peer picks you about once in eight rounds, and by chance sometimes not
// for ten or twenty, so live peers are suspected all the time. Forward what you know (a table of the
// freshest heartbeat of every node) so news arrives by many paths.
export default function start(node: Node) {
  const heardAt: Record<string, number> = {};
  for (const peer of node.peers) heardAt[peer] = performance.now();
  node.on("heartbeat", (msg) => {
    heardAt[msg.src] = performance.now();
  });
  node.on("suspects", (msg) => {
    const now = performance.now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => now - heardAt[p]! > 1000) });
  });
  node.every(100, () => {
    const pool = [...node.peers];
    for (let i = 0; i < 3 && pool.length; i++) node.send(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!, { type: "heartbeat" });
  });
}
