// A shallow spanning tree instead of the suggested grid: node i's parent is node ⌊(i−1)/k⌋ with k = ⌈√n⌉
// children each, so 25 nodes form a tree of depth 2 and any value crosses at most 4 hops. Each node passes a
// new value to its tree neighbours but the one it came from; every link keeps what its far end has not
// acknowledged and resends it, so a partition only delays a value.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const ids = node.nodeIds;
  const me = ids.indexOf(node.id);
  const k = Math.max(2, Math.ceil(Math.sqrt(ids.length)));
  const neighbours = ids.filter((_, j) => j !== me && (j === Math.floor((me - 1) / k) || Math.floor((j - 1) / k) === me));

  const seen = new Set<number>();
  const unacked = new Map<string, Map<number, number>>(neighbours.map((n) => [n, new Map()])); // link → value → sent at
  const sendTo = (peer: string, values: number[]) => {
    const pending = unacked.get(peer)!;
    for (const v of values) pending.set(v, node.now());
    node.send(peer, { type: "tree", messages: values });
  };
  const learn = (values: number[], from?: string) => {
    const fresh = values.filter((v) => !seen.has(v));
    for (const v of fresh) seen.add(v);
    if (fresh.length) for (const peer of neighbours) if (peer !== from) sendTo(peer, fresh);
  };

  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    learn([msg.body.message]);
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("tree", (msg) => {
    learn(msg.body.messages, msg.src);
    node.send(msg.src, { type: "tree_ok", messages: msg.body.messages });
  });
  node.on("tree_ok", (msg) => {
    const pending = unacked.get(msg.src);
    for (const v of msg.body.messages as number[]) pending?.delete(v);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));

  node.every(200, () => {
    const now = node.now();
    for (const [peer, pending] of unacked) {
      const stale = [...pending].filter(([, at]) => now - at >= 400).map(([v]) => v);
      if (stale.length) sendTo(peer, stale);
    }
  });
}
