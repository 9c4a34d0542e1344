// Operation-based: every add becomes an operation with a cluster-unique id (node id and sequence number). A
// node keeps the operations it has applied, by id; each peer is sent the ones it has not acknowledged, in
// batches, and applies each id at most once, so resends and duplicates are harmless. The value is the sum
// of the deltas of all operations seen.
import type { Node } from "clusterlab";

type Op = [id: string, delta: number];

export default function start(node: Node) {
  const applied = new Map<string, number>(); // op id → delta
  let total = 0;
  let seq = 0;
  const pending = new Map<string, Map<string, number>>(node.peers.map((p) => [p, new Map()])); // peer → op id → delta

  const apply = (id: string, delta: number) => {
    if (applied.has(id)) return false;
    applied.set(id, delta);
    total += delta;
    return true;
  };

  node.on("add", (msg) => {
    const id = `${node.id}:${++seq}`;
    apply(id, msg.body.delta);
    for (const p of pending.values()) p.set(id, msg.body.delta);
    node.reply(msg, { type: "add_ok" });
  });
  node.on("ops", (msg) => {
    for (const [id, delta] of msg.body.ops as Op[]) apply(id, delta);
    node.send(msg.src, { type: "ops_ok", ids: (msg.body.ops as Op[]).map(([id]) => id) });
  });
  node.on("ops_ok", (msg) => {
    const p = pending.get(msg.src);
    for (const id of msg.body.ids as string[]) p?.delete(id);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: total }));

  // Each peer gets its unacknowledged operations in one batch per tick (a lost batch is sent again next tick).
  node.every(150, () => {
    for (const [peer, p] of pending) if (p.size) node.send(peer, { type: "ops", ops: [...p].slice(0, 500) });
  });
}
