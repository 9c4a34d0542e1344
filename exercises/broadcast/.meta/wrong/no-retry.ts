// fails: delivery
// Sends each value to every peer once and hopes: a value sent while a peer was cut off never arrives.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen = new Set<number>();
  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    seen.add(msg.body.message);
    for (const peer of node.peers) node.send(peer, { type: "gossip", message: msg.body.message });
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("gossip", (msg) => void seen.add(msg.body.message));
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));
}
