import type { Node, Message } from "clusterlab";

// The session token is a version vector, one entry per node rather than per key: for each node that
// wrote something the session depends on, the newest timestamp of such a write. Each node knows how far
// it is up to date with every other one (its "stable" vector, as in GentleRain or Cure): stable[o] = t says
// that for every key it holds a copy at least as new as any write node o made at or before timestamp t.
// - Timestamps are a hybrid clock: max(last + 1, this node's clock, the token's highest + 1), so a client's
//   next write is above everything it has seen, whatever the clocks' skew (monotonic writes, causality).
// - Gossip (every 250 ms) sends all copies and the stable vector; a receiver takes the newer copies and then
//   knows everything the sender knew, so it raises each entry of its stable vector to the sender's.
// - A read is served only by a node whose stable vector covers the token: then it holds everything the
//   session depends on. A node behind pulls from the nodes it is behind on, and refuses (error 11) if it
//   cannot reach them. The copy returned brings its writer's dependencies into the token, so the next read,
//   anywhere, sees them too (causal consistency).
type Vector = Record<string, number>;
type Version = [number, string];
interface Copy {
  value: unknown;
  version: Version;
  deps: Vector;
}

const compare = (a: Version, b: Version) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
const max = (a: Vector, b: Vector): Vector => {
  const out = { ...a };
  for (const [o, t] of Object.entries(b)) if (!(out[o]! >= t)) out[o] = t;
  return out;
};

export default function start(node: Node) {
  const copies = new Map<string, Copy>();
  let clock = 0;
  const stable: Vector = {};
  const tick = (floor: number) => (clock = Math.max(clock + 1, node.now(), floor + 1));
  const stableNow = (): Vector => ({ ...stable, [node.id]: clock });

  const merge = (key: string, copy: Copy) => {
    const mine = copies.get(key);
    if (!mine || compare(copy.version, mine.version) > 0) copies.set(key, copy);
  };
  /** A node's whole state: after taking its copies we know all it knew. */
  const absorb = (state: { copies: Record<string, Copy>; stable: Vector }) => {
    for (const [key, copy] of Object.entries(state.copies)) merge(key, copy);
    for (const [o, t] of Object.entries(state.stable)) if (o !== node.id && !(stable[o]! >= t)) stable[o] = t;
  };
  const state = () => ({ copies: Object.fromEntries(copies), stable: stableNow() });

  node.every(250, () => {
    const mine = state();
    for (const peer of node.peers) node.send(peer, { type: "gossip", ...mine });
  });
  node.on("gossip", (msg) => absorb(msg.body as any));
  node.on("pull", (msg) => node.reply(msg, { type: "pull_ok", ...state() }));
  node.on("replica_read", (msg) => node.reply(msg, { type: "replica_read_ok", value: copies.get(msg.body.key)?.value ?? null }));

  const sessionOf = (msg: Message): Vector => (msg.body.session && typeof msg.body.session === "object" ? msg.body.session : {});
  /** The nodes whose writes the token has seen further than this node. */
  const behind = (token: Vector) => Object.entries(token).filter(([o, t]) => !(stableNow()[o]! >= t)).map(([o]) => o);

  node.on("write", (msg) => {
    const { key, value } = msg.body;
    const token = sessionOf(msg);
    const ts = tick(Math.max(0, ...Object.values(token)));
    merge(key, { value, version: [ts, node.id], deps: token });
    node.reply(msg, { type: "write_ok", session: max(token, { [node.id]: ts }) });
  });

  node.on("read", async (msg) => {
    const key: string = msg.body.key;
    const token = sessionOf(msg);
    const missing = behind(token);
    if (missing.length) {
      const pulls = missing.map((o) => node.rpc(o, { type: "pull" }, { timeoutMs: 300 }).then((m) => absorb(m.body as any), () => {}));
      await Promise.all(pulls);
      if (behind(token).length) return node.reply(msg, { type: "error", code: 11, text: "this node is behind your session" });
    }
    const copy = copies.get(key);
    const next = copy ? max(max(token, copy.deps), { [copy.version[1]]: copy.version[0] }) : token;
    node.reply(msg, { type: "read_ok", value: copy?.value ?? null, session: next });
  });
}
