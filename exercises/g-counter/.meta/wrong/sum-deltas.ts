// fails: convergence
// Forwards each delta and adds what it receives: a duplicated message is counted twice, a lost one never.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let total = 0;
  node.on("add", (msg) => {
    total += msg.body.delta;
    for (const peer of node.peers) node.send(peer, { type: "delta", delta: msg.body.delta });
    node.reply(msg, { type: "add_ok" });
  });
  node.on("delta", (msg) => {
    total += msg.body.delta;
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: total }));
}
