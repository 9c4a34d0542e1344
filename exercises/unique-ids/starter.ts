import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("generate", (msg) => {
    // TODO: an id no other node, and no later call, will ever return
    node.reply(msg, { type: "generate_ok", id: 1 });
  });
}
