import type { Node, Message } from "clusterlab";

// The session token carries the data itself: for every key the client depends on, the newest copy (value and
// version) it has written or read, or that a writer of what it read had seen. A node never needs to fetch
// anything or refuse: it answers a read with the newer of its own copy and the token's, and keeps the token's
// copies (so they spread by gossip too). A token is causally closed, because the copy a read returns brings
// the copies its writer depended on into the reader's token; so is every answer.
// The price is a token that grows with the keys a session touches (here one per client), where the
// reference's token holds versions only.
type Version = [number, string];
interface Copy {
  value: unknown;
  version: Version;
  /** What the writer's session held when it wrote (copies without their own deps: tokens are closed). */
  deps: Session;
}
type Flat = Omit<Copy, "deps">;
type Session = Record<string, Flat>;

const compare = (a: Version, b: Version) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
const flat = (c: Copy | Flat): Flat => ({ value: c.value, version: c.version });

/** The newer copy of every key of both. */
function raise(a: Session, b: Session): Session {
  const out = { ...a };
  for (const [key, c] of Object.entries(b)) if (!out[key] || compare(c.version, out[key]!.version) > 0) out[key] = flat(c);
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

  const sessionOf = (msg: Message): Session => (msg.body.session && typeof msg.body.session === "object" ? msg.body.session : {});
  /** A token's copies are as good as any: keep the newer ones (their own deps are in the same token). */
  const learn = (session: Session) => {
    for (const [key, c] of Object.entries(session)) merge(key, { ...flat(c), deps: session });
  };

  node.on("write", (msg) => {
    const { key, value } = msg.body;
    const session = sessionOf(msg);
    learn(session);
    // Above the session's copy of the key, even on a node whose clock is behind (monotonic writes).
    const floor = session[key]?.version[0] ?? -Infinity;
    const copy: Copy = { value, version: [Math.max(node.now(), floor + 1), node.id], deps: session };
    merge(key, copy);
    node.reply(msg, { type: "write_ok", session: raise(session, { [key]: copy }) });
  });

  node.on("read", (msg) => {
    const key: string = msg.body.key;
    const session = sessionOf(msg);
    learn(session);
    const copy = copies.get(key);
    const next = copy ? raise(session, raise(copy.deps, { [key]: copy })) : session;
    node.reply(msg, { type: "read_ok", value: next[key]?.value ?? null, session: next });
  });
}
