// fails: unique
// Packs node and counter into one number, 16 bits for the counter: compact, durable and unique across nodes,
// until a node hands out its 65,537th id and the counter wraps to ids it gave out before.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const nodeIndex = node.nodeIds.indexOf(node.id);
  let next: number = node.storage.get("next") ?? 0;
  node.on("generate", (msg) => {
    const id = nodeIndex * 65536 + (next & 0xffff);
    next++;
    node.storage.set("next", next);
    node.reply(msg, { type: "generate_ok", id });
  });
}
