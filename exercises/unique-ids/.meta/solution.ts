import type { Node } from "clusterlab";

// Unique without coordination: the node id makes ids distinct across nodes, a durable counter makes them
// distinct over time on one node, even across crashes.
export default function start(node: Node) {
  let next: number = node.storage.get("next") ?? 0;
  node.on("generate", (msg) => {
    const id = `${node.id}-${next++}`;
    node.storage.set("next", next);
    node.reply(msg, { type: "generate_ok", id });
  });
}
