// fails: stable-latency
// Cheap but slow: values wait for a once-a-second batch before they travel, so readers see them late.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen = new Set<number>();
  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    seen.add(msg.body.message);
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("gossip", (msg) => {
    for (const v of msg.body.messages as number[]) seen.add(v);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));
  node.every(1000, () => {
    for (const peer of node.peers) node.send(peer, { type: "gossip", messages: [...seen] });
  });
}
