// fails: stable-latency
// Relays every new value along the suggested grid, with acknowledgements and retries: always delivered, but
// on 25 nodes a value crosses up to 8 hops of 100 ms, and each reaches every node from several sides.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const seen = new Set<number>();
  let neighbours: string[] = [];
  const unacked = new Map<string, Set<number>>();
  const forward = (values: number[], except?: string) => {
    for (const n of neighbours) {
      if (n === except) continue;
      for (const v of values) unacked.get(n)!.add(v);
      node.send(n, { type: "gossip", messages: values });
    }
  };
  node.on("topology", (msg) => {
    neighbours = msg.body.topology[node.id] ?? [];
    for (const n of neighbours) unacked.set(n, new Set());
    node.reply(msg, { type: "topology_ok" });
  });
  node.on("broadcast", (msg) => {
    const value: number = msg.body.message;
    if (!seen.has(value)) {
      seen.add(value);
      forward([value]);
    }
    node.reply(msg, { type: "broadcast_ok" });
  });
  node.on("gossip", (msg) => {
    const fresh = (msg.body.messages as number[]).filter((v) => !seen.has(v));
    for (const v of fresh) seen.add(v);
    node.send(msg.src, { type: "gossip_ok", messages: msg.body.messages });
    if (fresh.length) forward(fresh, msg.src);
  });
  node.on("gossip_ok", (msg) => {
    for (const v of msg.body.messages as number[]) unacked.get(msg.src)?.delete(v);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", messages: [...seen] }));
  node.every(300, () => {
    for (const [n, pending] of unacked) if (pending.size) node.send(n, { type: "gossip", messages: [...pending] });
  });
}
