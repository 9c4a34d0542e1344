// fails: unique
// The node id and the node's clock: unique across nodes and across crashes, but two requests that reach one
// node in the same millisecond get the same id.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("generate", (msg) => node.reply(msg, { type: "generate_ok", id: `${node.id}-${node.now()}` }));
}
