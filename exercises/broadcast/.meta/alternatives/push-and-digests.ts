// Push without acknowledgements, repaired by anti-entropy: a new value goes once to every peer; every 250 ms
// each node sends one peer (round-robin) a digest of what it has, a count and a hash. A peer whose digest
// differs answers with its whole set, as ranges of consecutive values, and the two merge; the side that
// then still has more answers in turn. Lost pushes are found within a round of digests.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen = new Set<number>();
  let hash = 0; // sum of a mix of each value: order-free, changes with every value added
  const mix = (v: number) => (Math.imul(v ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 2 ** 32;
  const add = (v: number) => {
    if (seen.has(v)) return false;
    seen.add(v);
    hash += mix(v);
    return true;
  };
  const ranges = (): Array<[number, number]> => {
    const sorted = [...seen].sort((a, b) => a - b);
    const out: Array<[number, number]> = [];
    for (const v of sorted) {
      const last = out[out.length - 1];
      if (last && v === last[1] + 1) last[1] = v;
      else out.push([v, v]);
    }
    return out;
  };
  const digest = () => ({ count: seen.size, hash: Math.round(hash * 1e6) });
  const sameAs = (d: { count: number; hash: number }) => d.count === seen.size && d.hash === digest().hash;

  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    if (add(msg.body.message)) for (const peer of node.peers) node.send(peer, { type: "push", value: msg.body.message });
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("push", (msg) => void add(msg.body.value));
  node.on("digest", (msg) => {
    if (!sameAs({ count: msg.body.count, hash: msg.body.hash })) node.send(msg.src, { type: "state", ranges: ranges(), reply: true });
  });
  node.on("state", (msg) => {
    const before = seen.size;
    let theirs = 0;
    for (const [lo, hi] of msg.body.ranges as Array<[number, number]>) {
      for (let v = lo; v <= hi; v++) add(v);
      theirs += hi - lo + 1;
    }
    // They lack something of ours: answer once (a reply to a reply ends the exchange).
    if (msg.body.reply && before > 0 && seen.size > theirs) node.send(msg.src, { type: "state", ranges: ranges(), reply: false });
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));

  let turn = node.peers.indexOf(node.peers[0]!) + node.nodeIds.indexOf(node.id);
  node.every(250, () => {
    if (node.peers.length === 0) return;
    const peer = node.peers[turn++ % node.peers.length]!;
    node.send(peer, { type: "digest", ...digest() });
  });
}
