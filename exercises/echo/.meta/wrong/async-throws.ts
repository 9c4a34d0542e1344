// fails: no-errors
// Decodes the value as if bodies arrived as JSON text: they arrive parsed, so JSON.parse("hello 1") throws
// inside the async handler, which rejects and never replies.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", async (msg) => {
    const echo: unknown = JSON.parse(msg.body.echo);
    node.reply(msg, { type: "echo_ok", echo });
  });
}
