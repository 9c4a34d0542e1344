import type { Node } from "clusterlab";

export default function start(node: Node) {
  // Each node keeps only what it was sent itself: no replication yet.
  const data = new Map<string, unknown>();
  const slot = (key: unknown) => JSON.stringify(key);
  node.on("write", (msg) => {
    // TODO: version the value and store it on every replica; answer once msg.body.w of them acknowledged.
    data.set(slot(msg.body.key), msg.body.value);
    node.reply(msg, { type: "write_ok" });
  });
  node.on("read", (msg) => {
    // TODO: ask the replicas; answer with the newest of the first msg.body.r copies, then repair stale ones.
    node.reply(msg, { type: "read_ok", value: data.get(slot(msg.body.key)) ?? null });
  });
  node.on("replica_read", (msg) => {
    node.reply(msg, { type: "replica_read_ok", value: data.get(slot(msg.body.key)) ?? null });
  });
}
