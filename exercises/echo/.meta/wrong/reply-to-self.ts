// fails: echo
// Addresses the answer to msg.dest, which is this node itself, not the client that asked.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => node.send(msg.dest, { type: "echo_ok", echo: msg.body.echo, in_reply_to: msg.body.msg_id }));
}
