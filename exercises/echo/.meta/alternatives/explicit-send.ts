// Builds the reply by hand: to the sender, naming the request it answers, a tick later on a timer.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => {
    const { echo, msg_id } = msg.body;
    node.after(0, () => node.send(msg.src, { type: "echo_ok", echo, in_reply_to: msg_id }));
  });
}
