// fails: detection
import type { Node } from "clusterlab";

// Never wrong about a live node, because it waits five seconds before suspecting anyone: a crashed node
// goes unnoticed for longer than most outages last, and requests keep going to it all that time.
export default function start(node: Node) {
  const heardAt: Record<string, number> = {};
  for (const peer of node.peers) heardAt[peer] = performance.now();
  node.on("heartbeat", (msg) => {
    heardAt[msg.src] = performance.now();
  });
  node.on("suspects", (msg) => {
    const now = performance.now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => now - heardAt[p]! > 5000) });
  });
  node.every(100, () => {
    for (const peer of node.peers) node.send(peer, { type: "heartbeat" });
  });
}
