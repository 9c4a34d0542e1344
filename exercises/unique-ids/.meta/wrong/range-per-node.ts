// fails: unique
// Gives each node a range of a thousand ids (n1: 1000…1999, n2: 2000…2999): durable and unique at first,
// until n1 hands out its thousandth id and enters n2's range.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const base = (node.nodeIds.indexOf(node.id) + 1) * 1000;
  let next: number = node.storage.get("next") ?? 0;
  node.on("generate", (msg) => {
    const id = base + next++;
    node.storage.set("next", next);
    node.reply(msg, { type: "generate_ok", id });
  });
}
