// fails: accuracy
import type { Node } from "clusterlab";

// Heartbeats to every peer every 50 ms and a fixed timeout of 150 ms: three missed heartbeats. On a calm
// network that detects a crash in a fraction of a second; when the network stutters, heartbeats arrive
// 200–400 ms late and every peer is suspected at once, then trusted again, again and again.
export default function start(node: Node) {
  const heardAt: Record<string, number> = {};
  for (const peer of node.peers) heardAt[peer] = performance.now();
  node.on("heartbeat", (msg) => {
    heardAt[msg.src] = performance.now();
  });
  node.on("suspects", (msg) => {
    const now = performance.now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => now - heardAt[p]! > 150) });
  });
  node.every(50, () => {
    for (const peer of node.peers) node.send(peer, { type: "heartbeat" });
  });
}
