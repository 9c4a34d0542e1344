// fails: convergence
// Gossips one number, its total, and keeps the larger of its own and a peer's: idempotent and convergent, but
// adds made on two nodes at once are not both counted; the larger total simply wins.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let total = 0;
  node.on("add", (msg) => {
    total += msg.body.delta;
    node.reply(msg, { type: "add_ok" });
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: total }));
  node.on("gossip", (msg) => {
    total = Math.max(total, msg.body.total);
  });
  node.every(100, () => {
    for (const peer of node.peers) node.send(peer, { type: "gossip", total });
  });
}
