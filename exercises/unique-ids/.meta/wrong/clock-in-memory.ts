// fails: unique
// A hybrid clock: the larger of the node's clock and the last id plus one, so ids never repeat while the
// node runs. Kept only in memory: when a node hands out ids faster than one a millisecond its ids run ahead
// of its clock, and after a crash it starts again from the clock, below ids it already gave out.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let last = 0;
  node.on("generate", (msg) => {
    last = Math.max(node.now(), last + 1);
    node.reply(msg, { type: "generate_ok", id: `${node.id}-${last}` });
  });
}
