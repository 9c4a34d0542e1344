// fails: accuracy
import type { Node } from "clusterlab";

// Once a peer has been silent past the timeout it is written off for good: a node that paused for a
// garbage collection, or crashed and restarted, stays suspected although its heartbeats are back.
export default function start(node: Node) {
  const heardAt: Record<string, number> = {};
  const dead = new Set<string>();
  for (const peer of node.peers) heardAt[peer] = performance.now();
  node.on("heartbeat", (msg) => {
    heardAt[msg.src] = performance.now();
  });
  node.on("suspects", (msg) => node.reply(msg, { type: "suspects_ok", suspects: [...dead] }));
  node.every(100, () => {
    const now = performance.now();
    for (const peer of node.peers) {
      node.send(peer, { type: "heartbeat" });
      if (now - heardAt[peer]! > 500) dead.add(peer);
    }
  });
}
