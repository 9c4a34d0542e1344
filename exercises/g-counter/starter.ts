import type { Node } from "clusterlab";

export default function start(node: Node) {
  let total = 0;
  node.on("add", (msg) => {
    total += msg.body.delta;
    node.reply(msg, { type: "add_ok" });
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: total }));
  // TODO: the other nodes never hear about this node's adds
}
