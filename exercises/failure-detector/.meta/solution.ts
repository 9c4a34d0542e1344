import type { Node } from "clusterlab";

const roundMs = 100;
/** Peers each round's gossip goes to: 3 × 10 rounds = 30 messages per node per second, whatever the cluster size. */
const fanout = 3;
/** Suspect a peer after its mean gap between news plus this many standard deviations… */
const sigmas = 5;
/** …but never sooner than this, nor (before enough gaps are known) later than the first guess. */
const timeoutMinMs = 450;
const timeoutFirstMs = 1000;
/** Gaps kept per peer: enough for a stable mean, few enough to follow the network when it changes. */
const gapsKept = 40;

/**
 * Gossip heartbeats with an adaptive timeout (phi accrual's idea). Each node's heartbeat is its own
 * clock's reading, which only grows, even across a restart (a counter in memory would start again from 0
 * and look stale forever). Every round a node stamps its entry and sends its table of freshest heartbeats
 * to three random peers, who keep the maximum per node. News of a peer is a fresher value for it, however
 * it arrived; a peer is suspected when the time since its last news passes the mean of its recent gaps
 * plus five standard deviations. A node that notices its own timer ran late (it was paused) restarts the
 * clocks of all its peers instead of blaming them for its own silence.
 */
export default function start(node: Node) {
  const now = () => performance.now();
  const beats: Record<string, number> = {};
  const newsAt: Record<string, number> = {};
  const gaps: Record<string, number[]> = {};
  let lastTickAt = now();
  for (const peer of node.peers) newsAt[peer] = lastTickAt;

  const justResumed = () => now() - lastTickAt > 3 * roundMs;

  const timeoutFor = (peer: string): number => {
    const g = gaps[peer];
    if (!g || g.length < 5) return timeoutFirstMs;
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
    return Math.max(timeoutMinMs, mean + sigmas * sd);
  };

  const learn = (table: Record<string, number>) => {
    const t = now();
    for (const [id, beat] of Object.entries(table)) {
      if (id === node.id || !(beat > (beats[id] ?? -Infinity))) continue;
      beats[id] = beat;
      // A gap that spans our own pause measures us, not the peer; one past the timeout was an outage
      // (a crash, a pause), not the network's normal jitter: neither belongs in the estimate.
      const gap = t - newsAt[id]!;
      if (!justResumed() && gap <= timeoutFor(id)) {
        const list = (gaps[id] ??= []);
        list.push(gap);
        if (list.length > gapsKept) list.shift();
      }
      newsAt[id] = t;
    }
  };

  node.on("gossip", (msg) => learn(msg.body.beats));
  node.on("suspects", (msg) => {
    const t = now();
    node.reply(msg, { type: "suspects_ok", suspects: node.peers.filter((p) => t - newsAt[p]! > timeoutFor(p)) });
  });
  node.every(roundMs, () => {
    const t = now();
    if (t - lastTickAt > 3 * roundMs) for (const peer of node.peers) newsAt[peer] = t;
    lastTickAt = t;
    beats[node.id] = t;
    const pool = [...node.peers];
    for (let i = 0; i < fanout && pool.length > 0; i++) {
      const [peer] = pool.splice(Math.floor(Math.random() * pool.length), 1);
      node.send(peer!, { type: "gossip", beats });
    }
  });
}
