// fails: delivery
// Uses the suggested topology, and sends each client's value to its neighbours with acknowledgements and
// retries, but never passes on what it hears from a neighbour: on a grid, a value stops one hop away.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen = new Set<number>();
  let neighbours: string[] = [];
  const unacked = new Map<string, Set<number>>();
  node.on("topology", (msg) => {
    neighbours = msg.body.topology[node.id] ?? [];
    for (const n of neighbours) unacked.set(n, new Set());
    node.reply(msg, { type: "topology_ok" });
  });
  node.on("broadcast", (msg) => {
    const value: number = msg.body.message;
    seen.add(value);
    for (const n of neighbours) {
      unacked.get(n)!.add(value);
      node.send(n, { type: "gossip", messages: [value] });
    }
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("gossip", (msg) => {
    for (const v of msg.body.messages as number[]) seen.add(v);
    node.send(msg.src, { type: "gossip_ok", messages: msg.body.messages });
  });
  node.on("gossip_ok", (msg) => {
    for (const v of msg.body.messages as number[]) unacked.get(msg.src)?.delete(v);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));
  node.every(300, () => {
    for (const [n, pending] of unacked) if (pending.size) node.send(n, { type: "gossip", messages: [...pending] });
  });
}
