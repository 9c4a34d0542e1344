import type { Node, Message, Body } from "clusterlab";

// Raft (Ongaro & Ousterhout, 2014) over a log of operations, instead of the reference's whole-state rounds.
//
// Durable, written before any message that depends on them: `meta` = {term, votedFor}, and the log, one
// storage key per entry (`e<i>`) plus `last`, its length. A restarted node keeps its vote and its log; its
// commit index and key-value map are memory, rebuilt as the leader tells it what is committed.
// - Election: a follower that hears no leader for a random 150–300 ms becomes a candidate of term + 1, votes
//   for itself and asks for votes. A node grants at most one vote per term, and only to a candidate whose log
//   is at least as up to date as its own (last term, then length): so a leader holds every committed entry.
// - Replication: the leader appends each client operation (reads too: a read committed in the log is
//   linearizable) and sends the entries after each follower's known match; a follower whose log disagrees at
//   the previous entry refuses, and the leader backs up. An entry of the leader's own term is committed once
//   a majority stored it; that commits everything before it. The leader answers a client when the entry is
//   applied.
// - A new leader appends a no-op of its term at once, which commits the entries earlier leaders left.
interface Entry {
  term: number;
  op: Body | null;
}

const unavailable = (text: string): Body => ({ type: "error", code: 11, text });
const unknownOutcome = (text: string): Body => ({ type: "error", code: 0, text });
/** Entries per append message: a node back from a crash catches up in a few round trips, within the message budget. */
const batchMax = 64;

export default function start(node: Node) {
  const majority = Math.floor(node.nodeIds.length / 2) + 1;
  const meta: { term: number; votedFor: string | null } = node.storage.get("meta") ?? { term: 0, votedFor: null };
  const log: Entry[] = [{ term: 0, op: null }];
  const last: number = node.storage.get("last") ?? 0;
  for (let i = 1; i <= last; i++) log.push(node.storage.get<Entry>(`e${i}`)!);

  const saveMeta = () => node.storage.set("meta", meta);
  /** Replaces the log from `from` on with `entries`, durably. Keys past the new end are ignored, not deleted. */
  const writeLog = (from: number, entries: Entry[]) => {
    log.length = from;
    entries.forEach((e, j) => {
      log.push(e);
      node.storage.set(`e${from + j}`, e);
    });
    node.storage.set("last", log.length - 1);
  };
  const lastIndex = () => log.length - 1;
  const lastTerm = () => log[lastIndex()]!.term;

  let role: "follower" | "candidate" | "leader" = "follower";
  let leader: string | undefined;
  let lastHeard = node.now();
  // The first node stands at once in a fresh cluster, so that it has a leader quickly.
  let electionTimeoutMs = node.id === node.nodeIds[0] && meta.term === 0 ? 0 : 150 + node.random() * 150;
  let commitIndex = 0;
  let applied = 0;
  const data = new Map<string, unknown>();
  const nextIndex = new Map<string, number>();
  const matchIndex = new Map<string, number>();
  const inFlight = new Set<string>();
  /** Client requests the leader appended, by log index, with the term they were appended in. */
  const waiting = new Map<number, { msg: Message; term: number }>();

  const apply = (op: Body): Body => {
    const k = JSON.stringify(op.key);
    const exists = data.has(k);
    if (op.type === "read") return exists ? { type: "read_ok", value: data.get(k) } : { type: "error", code: 20, text: "key does not exist" };
    if (op.type === "write") {
      data.set(k, op.value);
      return { type: "write_ok" };
    }
    if (!exists) return { type: "error", code: 20, text: "key does not exist" };
    if (JSON.stringify(data.get(k)) !== JSON.stringify(op.from)) return { type: "error", code: 22, text: "value differs from `from`" };
    data.set(k, op.to);
    return { type: "cas_ok" };
  };

  const advance = (to: number) => {
    commitIndex = Math.max(commitIndex, Math.min(to, lastIndex()));
    while (applied < commitIndex) {
      applied++;
      const entry = log[applied]!;
      const answer = entry.op ? apply(entry.op) : undefined;
      const w = waiting.get(applied);
      if (!w) continue;
      waiting.delete(applied);
      // The entry at this index is ours only if it still has the term we appended it in.
      if (w.term === entry.term && answer) node.reply(w.msg, answer);
      else node.reply(w.msg, w.msg.body.type === "read" ? unavailable("superseded") : unknownOutcome("superseded"));
    }
  };

  /** Anyone with a newer term makes us its follower; our vote is free again in that term. */
  const seeTerm = (t: number) => {
    if (t <= meta.term) return;
    meta.term = t;
    meta.votedFor = null;
    saveMeta();
    stepDown();
  };

  const stepDown = () => {
    if (role === "leader") {
      // Appended but maybe never committed, or committed by a later leader: a write's outcome is unknown.
      for (const { msg } of waiting.values()) node.reply(msg, msg.body.type === "read" ? unavailable("lost leadership") : unknownOutcome("lost leadership"));
      waiting.clear();
    }
    role = "follower";
  };

  const replicateTo = (peer: string) => {
    if (role !== "leader" || inFlight.has(peer)) return;
    const next = nextIndex.get(peer) ?? lastIndex() + 1;
    const prevIndex = next - 1;
    const entries = log.slice(next, next + batchMax);
    inFlight.add(peer);
    const term = meta.term;
    node
      .rpc(peer, { type: "append", term, prevIndex, prevTerm: log[prevIndex]!.term, entries, commit: commitIndex }, { timeoutMs: 100 })
      .then((reply) => {
        inFlight.delete(peer);
        seeTerm(reply.body.term);
        if (role !== "leader" || meta.term !== term) return;
        if (reply.body.ok) {
          matchIndex.set(peer, Math.max(matchIndex.get(peer) ?? 0, reply.body.match));
          nextIndex.set(peer, (matchIndex.get(peer) ?? 0) + 1);
          commitLeader();
        } else {
          nextIndex.set(peer, Math.max(1, Math.min(next - 1, reply.body.hint + 1)));
        }
        if ((nextIndex.get(peer) ?? 0) <= lastIndex()) replicateTo(peer);
      })
      .catch(() => inFlight.delete(peer));
  };

  /** The highest entry of our own term stored on a majority commits it and everything before. */
  const commitLeader = () => {
    for (let n = lastIndex(); n > commitIndex && log[n]!.term === meta.term; n--) {
      const copies = 1 + node.peers.filter((p) => (matchIndex.get(p) ?? 0) >= n).length;
      if (copies >= majority) {
        advance(n);
        break;
      }
    }
  };

  const elect = async () => {
    role = "candidate";
    leader = undefined;
    meta.term++;
    meta.votedFor = node.id;
    saveMeta();
    const term = meta.term;
    lastHeard = node.now();
    electionTimeoutMs = 150 + node.random() * 150;
    let votes = 1;
    const ask = { type: "request_vote", term, lastIndex: lastIndex(), lastTerm: lastTerm() };
    for (const peer of node.peers) {
      node.rpc(peer, ask, { timeoutMs: 100 }).then(
        (reply) => {
          seeTerm(reply.body.term);
          if (role !== "candidate" || meta.term !== term || !reply.body.granted) return;
          if (++votes === majority) becomeLeader();
        },
        () => {},
      );
    }
  };

  const becomeLeader = () => {
    role = "leader";
    leader = node.id;
    for (const peer of node.peers) {
      nextIndex.set(peer, lastIndex() + 1);
      matchIndex.set(peer, 0);
      inFlight.delete(peer);
    }
    writeLog(lastIndex() + 1, [{ term: meta.term, op: null }]);
    if (majority === 1) commitLeader();
    for (const peer of node.peers) replicateTo(peer);
  };

  node.on("request_vote", (msg) => {
    const b = msg.body;
    seeTerm(b.term);
    const upToDate = b.lastTerm > lastTerm() || (b.lastTerm === lastTerm() && b.lastIndex >= lastIndex());
    const granted = b.term === meta.term && (meta.votedFor === null || meta.votedFor === msg.src) && upToDate;
    if (granted) {
      meta.votedFor = msg.src;
      saveMeta(); // before the reply: a vote forgotten in a crash could be given twice
      lastHeard = node.now();
    }
    node.reply(msg, { type: "request_vote_ok", term: meta.term, granted });
  });

  node.on("append", (msg) => {
    const b = msg.body;
    seeTerm(b.term);
    if (b.term < meta.term) return node.reply(msg, { type: "append_ok", term: meta.term, ok: false, hint: lastIndex() });
    if (role !== "follower") stepDown();
    leader = msg.src;
    lastHeard = node.now();
    if (b.prevIndex > lastIndex() || log[b.prevIndex]!.term !== b.prevTerm) {
      return node.reply(msg, { type: "append_ok", term: meta.term, ok: false, hint: Math.min(lastIndex(), b.prevIndex - 1) });
    }
    const entries: Entry[] = b.entries;
    // Keep what matches (an old, reordered append must not cut entries a newer one added); cut at a conflict.
    let j = 0;
    while (j < entries.length && b.prevIndex + 1 + j <= lastIndex() && log[b.prevIndex + 1 + j]!.term === entries[j]!.term) j++;
    if (j < entries.length) writeLog(b.prevIndex + 1 + j, entries.slice(j));
    const match = b.prevIndex + entries.length;
    advance(Math.min(b.commit, match));
    node.reply(msg, { type: "append_ok", term: meta.term, ok: true, match });
  });

  node.every(50, () => {
    if (role === "leader") for (const peer of node.peers) replicateTo(peer);
  });
  node.every(10, () => {
    if (role !== "leader" && node.now() - lastHeard >= electionTimeoutMs) void elect();
  });

  const handle = async (msg: Message) => {
    if (role === "leader") {
      const { type, key, value, from, to } = msg.body;
      writeLog(lastIndex() + 1, [{ term: meta.term, op: { type, key, value, from, to } }]);
      waiting.set(lastIndex(), { msg, term: meta.term });
      if (majority === 1) commitLeader();
      for (const peer of node.peers) replicateTo(peer);
      return;
    }
    if (msg.body.forwarded || !leader) return node.reply(msg, unavailable("no leader known"));
    const { type, key, value, from, to } = msg.body;
    try {
      const answer = await node.rpc(leader, { type, key, value, from, to, forwarded: true }, { timeoutMs: 600 });
      const { msg_id: _id, in_reply_to: _re, ...body } = answer.body;
      node.reply(msg, body as Body);
    } catch (err: any) {
      if (err?.body) {
        const { msg_id: _id, in_reply_to: _re, ...body } = err.body;
        return node.reply(msg, body as Body);
      }
      node.reply(msg, type === "read" ? unavailable("leader unreachable") : unknownOutcome("leader did not answer: outcome unknown"));
    }
  };
  for (const type of ["read", "write", "cas"]) node.on(type, handle);
  // One node alone is its own majority: it leads at once.
  if (majority === 1) {
    meta.term++;
    saveMeta();
    becomeLeader();
  }
}
