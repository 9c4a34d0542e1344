// fails: echo
// Answers with node.send to the sender: the reply arrives, but without in_reply_to the client cannot tell
// which request it answers, so every echo times out.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => node.send(msg.src, { type: "echo_ok", echo: msg.body.echo }));
}
