import type { Node, Body } from "clusterlab";

// No clocks at all: versions are [sequence number, coordinator id, coordinator's counter] (the counter
// tells apart two writes one coordinator numbers at once from the same query), and a write first asks for the highest
// version it can find, as in the ABD register (Attiya, Bar-Noy & Dolev, 1995). Where the reference trusts
// synchronized clocks to order a later write above an earlier one, this asks: the query reaches N − w + 1
// replicas, which meets the w replicas of any write acknowledged before it began, so the new version
// (highest + 1) is above every acknowledged one.
// - Write: query phase (N − w + 1 versions), then store phase (answer once w replicas stored the copy).
//   With w = 1 a query of all N replicas would make writes wait for every replica, and r + w > N would need
//   r = N anyway: the coordinator numbers the write from its own copy.
// - Read: ask every replica, answer with the newest of the first r, and send the newest back to every
//   replica that returned an older copy, even after answering (read repair, as the reference).
type Version = [number, string, number];
interface Copy {
  value: unknown;
  version: Version;
}

const compare = (a: Version, b: Version) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2];
const newest = (copies: Array<Copy | null>) => copies.reduce<Copy | null>((best, c) => (c && (!best || compare(c.version, best.version) > 0) ? c : best), null);

export default function start(node: Node) {
  const n = node.nodeIds.length;
  let counter = 0;
  const slot = (key: unknown) => `k:${JSON.stringify(key)}`;
  const local = (key: unknown): Copy | null => node.storage.get<Copy>(slot(key)) ?? null;
  const store = (key: unknown, copy: Copy) => {
    const mine = local(key);
    if (!mine || compare(copy.version, mine.version) > 0) node.storage.set(slot(key), copy);
  };

  node.on("get", (msg) => node.reply(msg, { type: "get_ok", copy: local(msg.body.key) }));
  node.on("put", (msg) => {
    store(msg.body.key, msg.body.copy);
    node.reply(msg, { type: "put_ok" });
  });
  node.on("replica_read", (msg) => node.reply(msg, { type: "replica_read_ok", value: local(msg.body.key)?.value ?? null }));

  /**
   * Sends `body` to every replica and calls `done` with the first `need` replies (from, body), or with null
   * once so many failed that `need` is out of reach. `onLate` sees every reply, before and after `done`.
   */
  const gather = (body: Body, need: number, done: (replies: Array<{ from: string; body: Body }> | null) => void, onLate?: (from: string, reply: Body) => void) => {
    const replies: Array<{ from: string; body: Body }> = [];
    let failures = 0;
    let finished = false;
    for (const replica of node.nodeIds) {
      node.rpc(replica, body, { timeoutMs: 300 }).then(
        (m) => {
          onLate?.(replica, m.body);
          if (finished) return;
          replies.push({ from: replica, body: m.body });
          if (replies.length === need) {
            finished = true;
            done(replies);
          }
        },
        () => {
          if (!finished && ++failures > n - need) {
            finished = true;
            done(null);
          }
        },
      );
    }
  };

  node.on("write", (msg) => {
    const { key, value, w } = msg.body;
    const storePhase = (highest: Copy | null) => {
      const copy: Copy = { value, version: [(highest?.version[0] ?? 0) + 1, node.id, ++counter] };
      gather({ type: "put", key, copy }, w, (acks) => {
        // Too few stored it, but some may have: the outcome is unknown.
        node.reply(msg, acks ? { type: "write_ok" } : { type: "error", code: 0, text: `fewer than ${w} replicas stored it` });
      });
    };
    if (w <= 1) return storePhase(local(key));
    gather({ type: "get", key }, n - w + 1, (replies) => {
      // Nothing was stored yet: refusing is a definite answer.
      if (!replies) return node.reply(msg, { type: "error", code: 11, text: `fewer than ${n - w + 1} replicas told their version` });
      storePhase(newest(replies.map((r) => r.body.copy)));
    });
  });

  node.on("read", (msg) => {
    const { key, r } = msg.body;
    const seen: Array<{ from: string; copy: Copy | null }> = [];
    let best: Copy | null = null;
    let answered = false;
    const repair = () => {
      for (const x of seen) {
        if (best && (!x.copy || compare(x.copy.version, best.version) < 0)) {
          x.copy = best;
          node.send(x.from, { type: "put", key, copy: best });
        }
      }
    };
    gather(
      { type: "get", key },
      r,
      (replies) => {
        answered = true;
        if (!replies) return node.reply(msg, { type: "error", code: 11, text: `fewer than ${r} replicas answered` });
        node.reply(msg, { type: "read_ok", value: newest(replies.map((x) => x.body.copy))?.value ?? null });
        repair();
      },
      (from, reply) => {
        seen.push({ from, copy: reply.copy });
        best = newest([best, reply.copy]);
        if (answered) repair();
      },
    );
  });
}
