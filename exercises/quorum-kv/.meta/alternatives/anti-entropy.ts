import type { Node, Message, Body } from "clusterlab";

// The reference's quorums and versions, but replicas are brought up to date by anti-entropy instead of read
// repair: every 50 ms each node sends one peer, in turn, a digest of the versions it holds; the peer answers
// with its copies that are newer than those (and asks for the ones it lacks), so both end with the newer of
// each key. Any two nodes that can talk agree within a few rounds after the heal, whether or not the key is
// ever read. (Dynamo and Cassandra do this with Merkle trees, which keep the digest small for big stores.)
type Version = [number, number, string];
interface Copy {
  value: unknown;
  version: Version;
}

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);

export default function start(node: Node) {
  let counter = 0;
  const slot = (key: unknown) => `k:${JSON.stringify(key)}`;
  const local = (key: unknown): Copy | undefined => node.storage.get<Copy>(slot(key));
  const store = (key: unknown, copy: Copy) => {
    const mine = local(key);
    if (!mine || compare(copy.version, mine.version) > 0) node.storage.set(slot(key), copy);
  };

  node.on("get", (msg) => node.reply(msg, { type: "get_ok", copy: local(msg.body.key) ?? null }));
  node.on("put", (msg) => {
    store(msg.body.key, msg.body.copy);
    node.reply(msg, { type: "put_ok" });
  });
  /** Every copy this node holds, by key: the storage keys are `k:<key json>`. */
  const allCopies = (): Record<string, Copy> => {
    const out: Record<string, Copy> = {};
    for (const name of node.storage.keys()) if (name.startsWith("k:")) out[name.slice(2)] = node.storage.get<Copy>(name)!;
    return out;
  };
  /** What `digest` (key json → version) lacks or holds older than this node: the copies to send back. */
  const newerThan = (digest: Record<string, Version>) => {
    const out: Record<string, Copy> = {};
    for (const [k, copy] of Object.entries(allCopies())) if (!digest[k] || compare(copy.version, digest[k]!) > 0) out[k] = copy;
    return out;
  };
  const digestOf = () => Object.fromEntries(Object.entries(allCopies()).map(([k, c]) => [k, c.version]));
  const merge = (copies: Record<string, Copy>) => {
    for (const [k, copy] of Object.entries(copies)) store(JSON.parse(k), copy);
  };
  let turn = node.nodeIds.indexOf(node.id);
  node.every(50, () => {
    if (node.peers.length === 0) return;
    const peer = node.peers[turn++ % node.peers.length]!;
    node.send(peer, { type: "sync", digest: digestOf() });
  });
  node.on("sync", (msg) => {
    const theirs: Record<string, Version> = msg.body.digest;
    // Send what they lack; ask for what we lack, by sending our own digest back (once: a reply does not answer).
    node.send(msg.src, { type: "sync_copies", copies: newerThan(theirs) });
    const mine = digestOf();
    if (Object.entries(theirs).some(([k, v]) => !mine[k] || compare(v, mine[k]!) > 0)) node.send(msg.src, { type: "sync_back", digest: mine });
  });
  node.on("sync_back", (msg) => node.send(msg.src, { type: "sync_copies", copies: newerThan(msg.body.digest) }));
  node.on("sync_copies", (msg) => merge(msg.body.copies));

  node.on("replica_read", (msg) => node.reply(msg, { type: "replica_read_ok", value: local(msg.body.key)?.value ?? null }));

  /** Sends `body` to every replica (this node answers itself at once); `onReply` sees each reply as it comes. */
  const fanOut = (body: Body, onReply: (from: string, reply: Body) => void, onFailure: () => void) => {
    for (const replica of node.nodeIds) {
      node.rpc(replica, body, { timeoutMs: 300 }).then((m) => onReply(replica, m.body), onFailure);
    }
  };

  node.on("write", (msg) => {
    const { key, value, w } = msg.body;
    const copy: Copy = { value, version: [node.now(), ++counter, node.id] };
    let acks = 0;
    let failures = 0;
    let answered = false;
    fanOut(
      { type: "put", key, copy },
      () => {
        if (++acks === w && !answered) {
          answered = true;
          node.reply(msg, { type: "write_ok" });
        }
      },
      () => {
        // Too few replicas left to reach w: some may hold the write, so its outcome is unknown.
        if (++failures > node.nodeIds.length - w && !answered) {
          answered = true;
          node.reply(msg, { type: "error", code: 0, text: `fewer than ${w} replicas stored it` });
        }
      },
    );
  });

  node.on("read", (msg) => {
    const { key, r } = msg.body;
    const replies: Array<{ from: string; copy: Copy | null }> = [];
    let failures = 0;
    let answered = false;
    const newest = () => replies.reduce<Copy | null>((best, x) => (x.copy && (!best || compare(x.copy.version, best.version) > 0) ? x.copy : best), null);
    fanOut(
      { type: "get", key },
      (from, reply) => {
        replies.push({ from, copy: reply.copy });
        const best = newest();
        if (replies.length === r && !answered) {
          answered = true;
          node.reply(msg, { type: "read_ok", value: best?.value ?? null });
        }
      },
      () => {
        if (++failures > node.nodeIds.length - r && !answered) {
          answered = true;
          node.reply(msg, { type: "error", code: 11, text: `fewer than ${r} replicas answered` });
        }
      },
    );
  });
}
