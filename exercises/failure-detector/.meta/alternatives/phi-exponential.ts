import type { Node } from "clusterlab";

/**
 * Phi accrual as Cassandra computes it: gaps between news of a peer are modelled as exponential with
 * the mean of the recent gaps, so the suspicion level after Δt of silence is φ = Δt / (mean · ln 10)
 * (φ = 1 means a one-in-ten chance that a live peer stays this quiet, φ = 2 one in a hundred…). A peer is
 * suspected at φ > 2.2, never before 300 ms. News travels in gossiped tables of (incarnation, counter),
 * the incarnation kept in node.storage and raised at every start, to three peers a round.
 */
const roundMs = 100;
const fanout = 3;
const phiMax = 2.2;
const timeoutMinMs = 300;
const gapsKept = 30;

type Beat = [incarnation: number, counter: number];
const newer = (a: Beat, b: Beat | undefined) => !b || a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

export default function start(node: Node) {
  const incarnation = (node.storage.get<number>("incarnation") ?? 0) + 1;
  node.storage.set("incarnation", incarnation);
  let counter = 0;
  const table: Record<string, Beat> = {};
  const newsAt: Record<string, number> = {};
  const gaps: Record<string, number[]> = {};
  let lastTick = performance.now();
  for (const peer of node.peers) newsAt[peer] = lastTick;

  const phi = (peer: string, now: number) => {
    const g = gaps[peer];
    const mean = g && g.length >= 5 ? g.reduce((a, b) => a + b, 0) / g.length : 250;
    return (now - newsAt[peer]!) / (mean * Math.LN10);
  };
  const suspected = (peer: string, now: number) => now - newsAt[peer]! > timeoutMinMs && phi(peer, now) > phiMax;

  node.on("gossip", (msg) => {
    const now = performance.now();
    const resumed = now - lastTick > 3 * roundMs;
    for (const [id, beat] of Object.entries(msg.body.table as Record<string, Beat>)) {
      if (id === node.id || !newer(beat, table[id])) continue;
      table[id] = beat;
      // Only gaps of a peer we did not suspect, and not spanning our own pause, describe its normal rhythm.
      if (!resumed && !suspected(id, now)) {
        const g = (gaps[id] ??= []);
        g.push(now - newsAt[id]!);
        if (g.length > gapsKept) g.shift();
      }
      newsAt[id] = now;
    }
  });
  node.on("suspects", (msg) => {
    const now = performance.now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => suspected(p, now)) });
  });
  node.every(roundMs, () => {
    const now = performance.now();
    if (now - lastTick > 3 * roundMs) for (const peer of node.peers) newsAt[peer] = now;
    lastTick = now;
    table[node.id] = [incarnation, ++counter];
    const pool = [...node.peers];
    for (let i = 0; i < fanout && pool.length > 0; i++) node.send(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!, { type: "gossip", table });
  });
}
