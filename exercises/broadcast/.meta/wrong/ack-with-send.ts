// fails: delivery
// Spreads every value correctly, but acknowledges the client with node.send: without in_reply_to no
// broadcast_ok matches its request, so no broadcast is ever acknowledged.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen = new Set<number>();
  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    const value: number = msg.body.message;
    if (!seen.has(value)) {
      seen.add(value);
      for (const peer of node.peers) node.send(peer, { type: "broadcast", message: value });
    }
    node.send(msg.src, { type: "broadcast_ok" });
  });
  node.on("broadcast_ok", () => {});
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));
}
