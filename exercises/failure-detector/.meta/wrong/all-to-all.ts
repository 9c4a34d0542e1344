// fails: msgs-per-node-sec
import type { Node } from "clusterlab";

// An adaptive timeout over heartbeats sent to every peer every 100 ms: accurate, and fine with five
// nodes (40 messages per node per second), but with 25 nodes it is 240, six times the budget. Sending to
// all n − 1 peers makes the traffic grow with the square of the cluster.
export default function start(node: Node) {
  const heardAt: Record<string, number> = {};
  const gaps: Record<string, number[]> = {};
  let lastTick = performance.now();
  for (const peer of node.peers) heardAt[peer] = lastTick;
  const timeout = (p: string) => {
    const g = gaps[p] ?? [];
    if (g.length < 5) return 1000;
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
    return Math.max(300, mean + 5 * sd);
  };
  node.on("heartbeat", (msg) => {
    const now = performance.now();
    const gap = now - heardAt[msg.src]!;
    if (now - lastTick < 300 && gap <= timeout(msg.src)) {
      const g = (gaps[msg.src] ??= []);
      g.push(gap);
      if (g.length > 40) g.shift();
    }
    heardAt[msg.src] = now;
  });
  node.on("suspects", (msg) => {
    const now = performance.now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => now - heardAt[p]! > timeout(p)) });
  });
  node.every(100, () => {
    const now = performance.now();
    if (now - lastTick > 300) for (const peer of node.peers) heardAt[peer] = now;
    lastTick = now;
    for (const peer of node.peers) node.send(peer, { type: "heartbeat" });
  });
}
