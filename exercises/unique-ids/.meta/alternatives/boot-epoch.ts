// One storage write per life instead of one per id: each time a node starts it increments a durable epoch,
// and ids are (node, epoch, counter). A crash ends an epoch; the counter of the next one may start at zero,
// because no id of an earlier epoch can equal one of a later epoch.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const epoch: number = (node.storage.get("epoch") ?? 0) + 1;
  node.storage.set("epoch", epoch);
  let next = 0;
  node.on("generate", (msg) => node.reply(msg, { type: "generate_ok", id: `${node.id}.${epoch}.${next++}` }));
}
