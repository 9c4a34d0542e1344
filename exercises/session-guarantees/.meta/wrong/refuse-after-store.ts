// fails: no-aborted-reads
// A node that is behind the session refuses the write with error 11, a definite "it did not happen"; but it
// checks after storing the copy, which stays in the store and goes out with the next gossip. Others then read
// a write whose client was told it failed.
import type { Node, Message } from "clusterlab";

// The given eventually consistent store (copies pushed to every node every 250 ms, last writer wins), plus a
// session layer. The session token is a map key → the newest version of that key this client depends on: what
// it wrote, what it read, and what the writers of those values depended on. Clients carry it from node to node;
// nodes never answer below it:
// - read-your-writes and monotonic reads: a node whose copy is older than the token's version fetches the key
//   from the node that wrote that version (its id is in the version), and refuses (error 11) if it cannot,
//   rather than answer with older data;
// - a write's version is above the token's, even on a node whose clock is behind: the client's later write
//   must win over its earlier one (monotonic writes under skewed clocks).
// - causality: each write stores the token it was written under as its dependencies, and a read raises the
//   client's token with the dependencies of the copy it returns.
// Every reply carries the raised token.
type Version = [number, string];
type Session = Record<string, Version>;
interface Copy {
  value: unknown;
  version: Version;
  deps: Session;
}

const compare = (a: Version, b: Version) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** The newer version of every key of both tokens. */
function raise(a: Session, b: Session): Session {
  const out = { ...a };
  for (const [key, v] of Object.entries(b)) if (!out[key] || compare(v, out[key]!) > 0) out[key] = v;
  return out;
}

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
    merge(key, { value, version, deps: session });
    // Not caught up with what the session has seen: refuse (too late, the copy is stored).
    if (Object.entries(session).some(([k, v]) => !hasAtLeast(k, v))) return node.reply(msg, { type: "error", code: 11, text: "this node is behind your session" });
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
    const next = copy ? raise(session, { ...copy.deps, [key]: copy.version }) : session;
    node.reply(msg, { type: "read_ok", value: copy?.value ?? null, session: next });
  });
}
