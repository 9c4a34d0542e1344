// fails: convergence
// The reference's state and merge, but gossips only on ticks when something changed, to save messages: a
// peer that missed the last change while cut off is never told again once adds stop.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const counts: Record<string, number> = {};
  for (const id of node.nodeIds) counts[id] = 0;
  let changed = false;
  node.on("add", (msg) => {
    counts[node.id]! += msg.body.delta;
    changed = true;
    node.reply(msg, { type: "add_ok" });
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: Object.values(counts).reduce((a, b) => a + b, 0) }));
  node.on("gossip", (msg) => {
    for (const [id, n] of Object.entries(msg.body.counts as Record<string, number>)) {
      if (n > (counts[id] ?? 0)) {
        counts[id] = n;
        changed = true;
      }
    }
  });
  node.every(100, () => {
    if (!changed) return;
    changed = false;
    for (const peer of node.peers) node.send(peer, { type: "gossip", counts });
  });
}
