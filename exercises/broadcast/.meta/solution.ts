import type { Node } from "clusterlab";

// The node a client talks to sends each new value straight to every peer (one hop: latency stays at one
// network delay) and keeps, per peer, the values that peer has not acknowledged. Unacknowledged values are
// retried in one batch per peer, so partitions only delay delivery.
export default function start(node: Node) {
  const seen = new Set<number>();
  const unacked = new Map<string, Map<number, number>>(); // peer → value → when last sent
  for (const peer of node.peers) unacked.set(peer, new Map());

  const sendTo = (peer: string, values: number[]) => {
    const pending = unacked.get(peer)!;
    for (const v of values) pending.set(v, node.now());
    node.send(peer, { type: "gossip", messages: values });
  };

  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    const value: number = msg.body.message;
    if (!seen.has(value)) {
      seen.add(value);
      for (const peer of node.peers) sendTo(peer, [value]);
    }
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("gossip", (msg) => {
    for (const v of msg.body.messages as number[]) seen.add(v);
    node.send(msg.src, { type: "gossip_ok", messages: msg.body.messages });
  });
  node.on("gossip_ok", (msg) => {
    const pending = unacked.get(msg.src);
    for (const v of msg.body.messages as number[]) pending?.delete(v);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));

  node.every(250, () => {
    const now = node.now();
    for (const [peer, pending] of unacked) {
      const stale = [...pending].filter(([, sentAt]) => now - sentAt >= 500).map(([v]) => v);
      if (stale.length) sendTo(peer, stale);
    }
  });
}
