// fails: unique
// A counter kept only in memory starts again from zero after a crash, and hands out old ids again.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let next = 0;
  node.on("generate", (msg) => node.reply(msg, { type: "generate_ok", id: `${node.id}-${next++}` }));
}
