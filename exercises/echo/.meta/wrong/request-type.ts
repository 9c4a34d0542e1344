// fails: echo
// Sends the body back as it came, type and all: the client waits for "echo_ok" and gets "echo".
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => node.reply(msg, msg.body));
}
