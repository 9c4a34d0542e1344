import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen: number[] = [];
  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", (msg) => {
    seen.push(msg.body.message);
    // TODO: the other nodes must learn this value too
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: seen }));
}
