// fails: echo
// Numbers its replies itself, assuming each client's msg_ids count 1, 2, 3… at this node. True with one node
// and one client; with five nodes a node sees only some of each client's requests, and the ids no longer match.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let answered = 0;
  node.on("echo", (msg) => node.send(msg.src, { type: "echo_ok", echo: msg.body.echo, in_reply_to: ++answered }));
}
