// fails: convergence
// Sends each delta to every peer and resends it until acknowledged, so nothing is lost; but the receiver adds
// every copy it gets, and a resend after a lost acknowledgement (or a duplicated message) counts twice.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  let total = 0;
  let seq = 0;
  const unacked = new Map<string, { peer: string; delta: number; sentAt: number }>();
  const send = (key: string) => {
    const u = unacked.get(key)!;
    u.sentAt = node.now();
    node.send(u.peer, { type: "delta", key, delta: u.delta });
  };
  node.on("add", (msg) => {
    total += msg.body.delta;
    seq++;
    for (const peer of node.peers) {
      const key = `${node.id}:${seq}:${peer}`;
      unacked.set(key, { peer, delta: msg.body.delta, sentAt: 0 });
      send(key);
    }
    node.reply(msg, { type: "add_ok" });
  });
  node.on("delta", (msg) => {
    total += msg.body.delta;
    node.send(msg.src, { type: "delta_ok", key: msg.body.key });
  });
  node.on("delta_ok", (msg) => void unacked.delete(msg.body.key));
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: total }));
  node.every(200, () => {
    const now = node.now();
    for (const [key, u] of unacked) if (now - u.sentAt >= 300) send(key);
  });
}
