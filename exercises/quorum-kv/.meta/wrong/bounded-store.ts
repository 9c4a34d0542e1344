// fails: no-stale-reads
// The reference, except that each replica keeps at most 16 keys, evicting the one written longest ago, to
// bound its memory. With a handful of keys nothing is ever evicted; with more, a replica forgets keys that were
// acknowledged, and a quorum read can find no copy newer than nothing.
import type { Node, Message, Body } from "clusterlab";

// Dynamo-style quorums. Every node holds a copy of every key (N = the number of nodes), with a version: the
// coordinator's clock when it took the write, then a counter and its id to break ties. (Clocks are in sync in
// this exercise; with skewed clocks, last-writer-wins can order a later write before an earlier one.)
// - The node a client asks coordinates: it sends the request to every replica, itself included, and answers
//   once `w` replicas stored a write, or `r` replicas returned their copy of a read.
// - A read answers with the newest version among the replies. Any quorum of r meets any quorum of w when
//   r + w > N, so it sees every write acknowledged before it began.
// - Read repair: every replica that answered with an older copy, even after the answer went out, is sent the
//   newest one. A replica keeps whichever copy has the higher version, so repairs and late writes commute.
type Version = [number, number, string];
interface Copy {
  value: unknown;
  version: Version;
}

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);

export default function start(node: Node) {
  let counter = 0;
  const keysMax = 16;
  // Insertion order is write order: a copy written again moves to the end, the first one is evicted.
  const copies = new Map<string, Copy>();
  const slot = (key: unknown) => JSON.stringify(key);
  const local = (key: unknown): Copy | undefined => copies.get(slot(key));
  const store = (key: unknown, copy: Copy) => {
    const mine = local(key);
    if (mine && compare(copy.version, mine.version) <= 0) return;
    copies.delete(slot(key));
    copies.set(slot(key), copy);
    if (copies.size > keysMax) copies.delete(copies.keys().next().value!);
  };

  node.on("get", (msg) => node.reply(msg, { type: "get_ok", copy: local(msg.body.key) ?? null }));
  node.on("put", (msg) => {
    store(msg.body.key, msg.body.copy);
    node.reply(msg, { type: "put_ok" });
  });
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
    const repair = (best: Copy) => {
      for (const x of replies) {
        if (!x.copy || compare(x.copy.version, best.version) < 0) {
          x.copy = best;
          node.send(x.from, { type: "put", key, copy: best });
        }
      }
    };
    fanOut(
      { type: "get", key },
      (from, reply) => {
        replies.push({ from, copy: reply.copy });
        const best = newest();
        if (replies.length === r && !answered) {
          answered = true;
          node.reply(msg, { type: "read_ok", value: best?.value ?? null });
        }
        if (answered && best) repair(best);
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
