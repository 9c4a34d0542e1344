import type { Node } from "clusterlab";

/**
 * The classic membership table: each node's heartbeat is (incarnation, counter). The incarnation is kept
 * in node.storage and raised at every start, so a restarted node's first heartbeat outranks everything it
 * sent before the crash, however high its old counter was. Tables are gossiped to three random peers a
 * round and merged by taking the greater (incarnation, counter) per node. A fixed timeout, long enough for
 * news to cross the cluster by gossip and short enough to detect a crash in time.
 */
const roundMs = 100;
const timeoutMs = 700;

type Beat = [incarnation: number, counter: number];
const newer = (a: Beat, b: Beat | undefined) => !b || a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

export default function start(node: Node) {
  const incarnation = (node.storage.get<number>("incarnation") ?? 0) + 1;
  node.storage.set("incarnation", incarnation);
  let counter = 0;
  const table: Record<string, Beat> = {};
  const newsAt: Record<string, number> = {};
  let lastTick = performance.now();
  for (const peer of node.peers) newsAt[peer] = lastTick;

  node.on("gossip", (msg) => {
    const now = performance.now();
    for (const [id, beat] of Object.entries(msg.body.table as Record<string, Beat>)) {
      if (id === node.id || !newer(beat, table[id])) continue;
      table[id] = beat;
      newsAt[id] = now;
    }
  });
  node.on("suspects", (msg) => {
    const now = performance.now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => now - newsAt[p]! > timeoutMs) });
  });
  node.every(roundMs, () => {
    const now = performance.now();
    // Our own timer ran late: we were paused, and everyone's silence was ours.
    if (now - lastTick > 3 * roundMs) for (const peer of node.peers) newsAt[peer] = now;
    lastTick = now;
    table[node.id] = [incarnation, ++counter];
    const pool = [...node.peers];
    for (let i = 0; i < 3 && pool.length > 0; i++) node.send(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!, { type: "gossip", table });
  });
}
