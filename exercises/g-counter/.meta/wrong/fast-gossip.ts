// fails: msgs-per-op
// The reference's counter, gossiped every 5 ms to converge faster: correct, but hundreds of messages a second
// per node whether or not anything changed.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const counts: Record<string, number> = {};
  for (const id of node.nodeIds) counts[id] = 0;
  node.on("add", (msg) => {
    counts[node.id]! += msg.body.delta;
    node.reply(msg, { type: "add_ok" });
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: Object.values(counts).reduce((a, b) => a + b, 0) }));
  node.on("gossip", (msg) => {
    for (const [id, n] of Object.entries(msg.body.counts as Record<string, number>)) counts[id] = Math.max(counts[id] ?? 0, n);
  });
  node.every(5, () => {
    for (const peer of node.peers) node.send(peer, { type: "gossip", counts });
  });
}
