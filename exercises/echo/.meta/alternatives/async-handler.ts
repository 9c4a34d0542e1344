// An async handler: the reply is sent from a promise continuation, which runs at the same virtual time.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", async (msg) => {
    const echo = await Promise.resolve(msg.body.echo);
    node.reply(msg, { type: "echo_ok", echo });
  });
}
