// fails: echo
// Reads the value from the envelope (msg.echo) instead of the body (msg.body.echo): the reply has no value.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => node.reply(msg, { type: "echo_ok", echo: (msg as unknown as { echo?: string }).echo }));
}
