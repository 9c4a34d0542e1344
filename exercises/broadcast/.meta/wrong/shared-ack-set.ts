// fails: delivery
// Retries until acknowledged, but keeps one set of unacknowledged values for all peers: the first peer's
// acknowledgement clears a value, so a peer cut off by a partition never gets it.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen = new Set<number>();
  const unacked = new Set<number>();
  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    const value: number = msg.body.message;
    if (!seen.has(value)) {
      seen.add(value);
      unacked.add(value);
      for (const peer of node.peers) node.send(peer, { type: "gossip", messages: [value] });
    }
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("gossip", (msg) => {
    for (const v of msg.body.messages as number[]) seen.add(v);
    node.send(msg.src, { type: "gossip_ok", messages: msg.body.messages });
  });
  node.on("gossip_ok", (msg) => {
    for (const v of msg.body.messages as number[]) unacked.delete(v);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));
  node.every(300, () => {
    if (unacked.size) for (const peer of node.peers) node.send(peer, { type: "gossip", messages: [...unacked] });
  });
}
