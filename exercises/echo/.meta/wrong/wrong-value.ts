// fails: echo
// Answers, but with a value of its own instead of the one it received.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => node.reply(msg, { type: "echo_ok", echo: `${msg.body.echo}!` }));
}
