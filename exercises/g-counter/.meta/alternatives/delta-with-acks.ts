// Delta-state: instead of the whole map, a node sends each peer only its own entry, and only while that peer
// has not acknowledged the entry's latest value. The entry only grows, so a resent, late or duplicated delta
// merges by maximum and changes nothing; an acknowledgement of value v settles every value up to v.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const counts: Record<string, number> = {};
  for (const id of node.nodeIds) counts[id] = 0;
  const ackedBy = new Map<string, number>(node.peers.map((p) => [p, 0])); // peer → my count it has confirmed
  const lastSentMs = new Map<string, number>();

  const push = (peer: string) => {
    lastSentMs.set(peer, node.now());
    node.send(peer, { type: "delta", owner: node.id, count: counts[node.id] });
  };

  node.on("add", (msg) => {
    counts[node.id]! += msg.body.delta;
    node.reply(msg, { type: "add_ok" });
  });
  node.on("delta", (msg) => {
    const owner: string = msg.body.owner;
    const count: number = msg.body.count;
    counts[owner] = Math.max(counts[owner] ?? 0, count);
    node.send(msg.src, { type: "delta_ok", count });
  });
  node.on("delta_ok", (msg) => {
    ackedBy.set(msg.src, Math.max(ackedBy.get(msg.src) ?? 0, msg.body.count));
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: Object.values(counts).reduce((a, b) => a + b, 0) }));

  // Batch: at most one delta per peer per tick; resend an unconfirmed one after 300 ms.
  node.every(50, () => {
    const now = node.now();
    for (const peer of node.peers) {
      if ((ackedBy.get(peer) ?? 0) >= counts[node.id]!) continue;
      const last = lastSentMs.get(peer);
      if (last === undefined || now - last >= 300 || last < now - 50) push(peer);
    }
  });
}
