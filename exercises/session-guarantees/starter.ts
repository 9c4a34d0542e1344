import type { Node } from "clusterlab";

// An eventually consistent store that already works: every node keeps its own copy of every key and every
// 250 ms pushes all its copies to the other nodes; a copy with a higher version [clock, node id] replaces a
// lower one (last writer wins). Clients ask a different node each time, so they see old data, and even their
// own writes vanish for a while.
// TODO: a session layer. Return a `session` token in your replies (clients send back the last one they got)
// that records what the client has written and read, and never answer a read with less than that.
type Version = [number, string];
interface Copy {
  value: unknown;
  version: Version;
}

const compare = (a: Version, b: Version) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

export default function start(node: Node) {
  const copies = new Map<string, Copy>();
  const merge = (key: string, copy: Copy) => {
    const mine = copies.get(key);
    if (!mine || compare(copy.version, mine.version) > 0) copies.set(key, copy);
  };

  node.every(250, () => {
    const all = Object.fromEntries(copies);
    for (const peer of node.peers) node.send(peer, { type: "gossip", copies: all });
  });
  node.on("gossip", (msg) => {
    for (const [key, copy] of Object.entries(msg.body.copies as Record<string, Copy>)) merge(key, copy);
  });
  node.on("replica_read", (msg) => node.reply(msg, { type: "replica_read_ok", value: copies.get(msg.body.key)?.value ?? null }));

  node.on("write", (msg) => {
    merge(msg.body.key, { value: msg.body.value, version: [node.now(), node.id] });
    node.reply(msg, { type: "write_ok" });
  });
  node.on("read", (msg) => {
    node.reply(msg, { type: "read_ok", value: copies.get(msg.body.key)?.value ?? null });
  });
}
