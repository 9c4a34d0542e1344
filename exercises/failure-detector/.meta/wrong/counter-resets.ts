// fails: accuracy
import type { Node } from "clusterlab";

// Gossip of heartbeat counters, each node incrementing its own in memory. After a crash the node comes
// back counting from 0 again; its peers remember 57 and ignore 1, 2, 3… as old news, so the restarted
// node is suspected for the rest of the run. (A counter must survive restarts: an incarnation number in
// node.storage, or a value that only grows, such as the clock.)
export default function start(node: Node) {
  let counter = 0;
  const beats: Record<string, number> = {};
  const newsAt: Record<string, number> = {};
  let lastTick = performance.now();
  for (const peer of node.peers) newsAt[peer] = lastTick;
  node.on("gossip", (msg) => {
    for (const [id, beat] of Object.entries(msg.body.beats as Record<string, number>)) {
      if (id === node.id || !(beat > (beats[id] ?? -1))) continue;
      beats[id] = beat;
      newsAt[id] = performance.now();
    }
  });
  node.on("suspects", (msg) => {
    const now = performance.now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => now - newsAt[p]! > 800) });
  });
  node.every(100, () => {
    const now = performance.now();
    if (now - lastTick > 300) for (const peer of node.peers) newsAt[peer] = now;
    lastTick = now;
    beats[node.id] = ++counter;
    const pool = [...node.peers];
    for (let i = 0; i < 3 && pool.length; i++) node.send(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!, { type: "gossip", beats });
  });
}
