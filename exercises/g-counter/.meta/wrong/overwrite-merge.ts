// fails: convergence
// One count per node, gossiped periodically, but merged by copying the peer's map over its own: a peer's
// older view of this node's count replaces the newer one, and the adds in between are gone.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let counts: Record<string, number> = {};
  for (const id of node.nodeIds) counts[id] = 0;
  node.on("add", (msg) => {
    counts[node.id]! += msg.body.delta;
    node.reply(msg, { type: "add_ok" });
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: Object.values(counts).reduce((a, b) => a + b, 0) }));
  node.on("gossip", (msg) => {
    counts = { ...counts, ...msg.body.counts };
  });
  node.every(100, () => {
    for (const peer of node.peers) node.send(peer, { type: "gossip", counts });
  });
}
