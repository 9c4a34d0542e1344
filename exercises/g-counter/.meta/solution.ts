import type { Node } from "clusterlab";

// A G-counter: each node owns one entry and only increases it; merging takes the per-entry maximum, so
// gossip may be lost, duplicated or reordered and the sum still converges.
export default function start(node: Node) {
  const counts: Record<string, number> = {};
  for (const id of node.nodeIds) counts[id] = 0;
  const merge = (other: Record<string, number>) => {
    for (const [id, n] of Object.entries(other)) counts[id] = Math.max(counts[id] ?? 0, n);
  };
  node.on("add", (msg) => {
    counts[node.id]! += msg.body.delta;
    node.reply(msg, { type: "add_ok" });
  });
  node.on("read", (msg) => {
    const value = Object.values(counts).reduce((a, b) => a + b, 0);
    node.reply(msg, { type: "read_ok", value });
  });
  node.on("gossip", (msg) => merge(msg.body.counts));
  node.every(100, () => {
    for (const peer of node.peers) node.send(peer, { type: "gossip", counts });
  });
}
