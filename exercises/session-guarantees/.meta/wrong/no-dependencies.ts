// fails: causal
// Read-your-writes and monotonic reads per key, but writes do not record what their writer had seen: a client
// that read c2's write can then read c1's key older than the value c2 had read before writing.
import type { Node, Message } from "clusterlab";

type Version = [number, string];
interface Copy {
  value: unknown;
  version: Version;
}
type Session = Record<string, Version>;

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
  node.on("fetch", (msg) => node.reply(msg, { type: "fetch_ok", copy: copies.get(msg.body.key) ?? null }));

  const sessionOf = (msg: Message): Session => (msg.body.session && typeof msg.body.session === "object" ? msg.body.session : {});
  /** Whether this node's copy of `key` is at least as new as `needed`. */
  const hasAtLeast = (key: string, needed: Version | undefined) => {
    const mine = copies.get(key);
    return !needed || (mine !== undefined && compare(mine.version, needed) >= 0);
  };

  node.on("write", (msg) => {
    const { key, value } = msg.body;
    const session = sessionOf(msg);
    const floor = session[key];
    const version: Version = [Math.max(node.now(), floor ? floor[0] + 1 : 0), node.id];
    merge(key, { value, version });
    node.reply(msg, { type: "write_ok", session: { ...session, [key]: version } });
  });

  node.on("read", async (msg) => {
    const key: string = msg.body.key;
    const session = sessionOf(msg);
    const needed = session[key];
    if (!hasAtLeast(key, needed)) {
      // Behind this session: get the key from the node that wrote the version the client has seen.
      try {
        const reply = await node.rpc(needed![1], { type: "fetch", key }, { timeoutMs: 300 });
        if (reply.body.copy) merge(key, reply.body.copy);
      } catch {
        // unreachable: fall through, and refuse below if still behind
      }
      if (!hasAtLeast(key, needed)) return node.reply(msg, { type: "error", code: 11, text: "this node is behind your session" });
    }
    const copy = copies.get(key);
    const next = copy ? { ...session, [key]: copy.version } : session;
    node.reply(msg, { type: "read_ok", value: copy?.value ?? null, session: next });
  });
}
