// fails: unique
// A random 32-bit number: no state to lose and no coordination, but with a hundred thousand ids drawn from
// four billion values, two are likely to be equal (the birthday bound).
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("generate", (msg) => node.reply(msg, { type: "generate_ok", id: Math.floor(node.random() * 2 ** 32) }));
}
