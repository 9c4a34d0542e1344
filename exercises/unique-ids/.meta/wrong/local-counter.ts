// fails: unique
// Forgets the node id: two nodes count 0, 1, 2… independently and collide.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let next: number = node.storage.get("next") ?? 0;
  node.on("generate", (msg) => {
    node.storage.set("next", next + 1);
    node.reply(msg, { type: "generate_ok", id: next++ });
  });
}
