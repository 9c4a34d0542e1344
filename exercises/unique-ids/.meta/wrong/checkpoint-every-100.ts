// fails: unique
// A durable counter that writes storage only every hundredth id, to save writes: after a crash the node
// resumes from the last checkpoint and hands out again the ids it gave since.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let next: number = node.storage.get("next") ?? 0;
  node.on("generate", (msg) => {
    const id = `${node.id}-${next++}`;
    if (next % 100 === 0) node.storage.set("next", next);
    node.reply(msg, { type: "generate_ok", id });
  });
}
