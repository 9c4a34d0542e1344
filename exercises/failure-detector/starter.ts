import type { Node } from "clusterlab";

// Answer {type: "suspects"} with the peers you suspect have failed. Nodes can send each other any message
// type (node.send(peer, {type: "heartbeat"})) and run timers (node.every(100, fn)); performance.now() is
// this node's clock.
export default function start(node: Node) {
  node.on("suspects", (msg) => {
    node.reply(msg, { type: "suspects_ok", suspects: [] }); // trusts everyone, forever
  });
}
