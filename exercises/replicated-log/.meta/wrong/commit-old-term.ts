// fails: state-machine-safety
// Commits any entry stored on a majority, whatever its term, and so needs no empty entry on winning: a leader
// that finishes replicating an entry an earlier leader left on a minority counts it committed, yet a node
// whose log ends in a later term can still win the next election and overwrite it (Raft's Figure 8).
import type { Node, Message, Body } from "clusterlab";

// A Raft-style replicated log with a key-value store applied from it.
//
// Durable state, written before any message that depends on it leaves: `meta` = {term, votedFor}, and the
// log, one storage key per entry (`e<i>`) plus `last`, its length. The commit index, the applied map and the
// role are memory: a restarted node relearns them from the leader.
// - Election: a follower that hears from no leader for a random 150–300 ms (drawn again each time) starts a
//   new term, votes for itself and asks the others. A node votes once per term, and only for a candidate
//   whose log is at least as up to date as its own (later last term, or same last term and no shorter).
// - Replication: the leader keeps, per follower, the next index to send and at most one append in flight;
//   entries that arrive meanwhile travel together in the next append (batching). A follower checks that its
//   entry before the new ones matches the leader's, cuts its log at the first conflict and appends.
// - Commit: any entry stored on a majority is committed, and so is everything before it, whatever its term
//   (the mistake); a new leader appends nothing on winning.
// - Clients: every operation, reads included, goes through the log; the leader answers once it is applied.
//   A follower forwards to the leader it knows.
interface Entry {
  term: number;
  op: Body | null;
}
type Role = "follower" | "candidate" | "leader";

const unavailable = (text: string): Body => ({ type: "error", code: 11, text });
const unknownOutcome = (text: string): Body => ({ type: "error", code: 0, text });
/** Entries per append: a node back from a crash catches up in a few round trips. */
const batchMax = 64;
const heartbeatMs = 50;

export default function start(node: Node) {
  const majority = Math.floor(node.nodeIds.length / 2) + 1;
  const meta: { term: number; votedFor: string | null } = node.storage.get("meta") ?? { term: 0, votedFor: null };
  const log: Entry[] = [{ term: 0, op: null }]; // log[0] is a sentinel: real indexes start at 1
  const stored: number = node.storage.get("last") ?? 0;
  for (let i = 1; i <= stored; i++) log.push(node.storage.get<Entry>(`e${i}`)!);

  const saveMeta = () => node.storage.set("meta", meta);
  const lastIndex = () => log.length - 1;
  const lastTerm = () => log[lastIndex()]!.term;
  /** Replaces the log from index `from` on with `entries`, durably. */
  const writeLog = (from: number, entries: Entry[]) => {
    log.length = from;
    for (const e of entries) {
      node.storage.set(`e${log.length}`, e);
      log.push(e);
    }
    node.storage.set("last", lastIndex());
  };

  let role: Role = "follower";
  let leader: string | undefined;
  let heardAt = node.now();
  let timeoutMs = 150 + node.random() * 150;
  let commitIndex = 0;
  let applied = 0;
  const data = new Map<string, unknown>();
  const nextIndex = new Map<string, number>();
  const matchIndex = new Map<string, number>();
  const inFlight = new Set<string>();
  /** Client requests the leader appended, by index, with the term they were appended in. */
  const waiting = new Map<number, { msg: Message; term: number }>();

  const apply = (op: Body): Body => {
    const k = JSON.stringify(op.key);
    if (op.type === "write") {
      data.set(k, op.value);
      return { type: "write_ok" };
    }
    if (!data.has(k)) return { type: "error", code: 20, text: "key does not exist" };
    if (op.type === "read") return { type: "read_ok", value: data.get(k) };
    if (JSON.stringify(data.get(k)) !== JSON.stringify(op.from)) return { type: "error", code: 22, text: "value is not `from`" };
    data.set(k, op.to);
    return { type: "cas_ok" };
  };

  const commitTo = (index: number) => {
    commitIndex = Math.max(commitIndex, Math.min(index, lastIndex()));
    while (applied < commitIndex) {
      const entry = log[++applied]!;
      const answer = entry.op ? apply(entry.op) : undefined;
      const w = waiting.get(applied);
      if (!w) continue;
      waiting.delete(applied);
      // Ours only if the entry at this index still has the term we appended it in.
      if (w.term === entry.term && answer) node.reply(w.msg, answer);
      else node.reply(w.msg, unknownOutcome("superseded by another leader's entry"));
    }
  };

  const becomeFollower = () => {
    if (role === "leader") {
      // Appended, but maybe committed later by another leader: the outcome is unknown.
      for (const { msg } of waiting.values()) node.reply(msg, unknownOutcome("lost leadership"));
      waiting.clear();
      // A deposed leader waits a full timeout like any follower before it stands again.
      heardAt = node.now();
    }
    role = "follower";
  };

  /** A newer term makes us a follower with a fresh vote. */
  const observeTerm = (term: number) => {
    if (term <= meta.term) return;
    meta.term = term;
    meta.votedFor = null;
    saveMeta();
    becomeFollower();
  };

  const advanceCommit = () => {
    for (let n = lastIndex(); n > commitIndex; n--) {
      const copies = 1 + node.peers.filter((p) => (matchIndex.get(p) ?? 0) >= n).length;
      if (copies >= majority) return commitTo(n);
    }
  };

  const replicate = (peer: string) => {
    if (role !== "leader" || inFlight.has(peer)) return;
    const next = nextIndex.get(peer)!;
    const prevIndex = next - 1;
    const term = meta.term;
    inFlight.add(peer);
    const body = { type: "append", term, prevIndex, prevTerm: log[prevIndex]!.term, entries: log.slice(next, next + batchMax), commit: commitIndex };
    node.rpc(peer, body, { timeoutMs: 100 }).then(
      (reply) => {
        inFlight.delete(peer);
        observeTerm(reply.body.term);
        if (role !== "leader" || meta.term !== term) return;
        if (reply.body.ok) {
          matchIndex.set(peer, Math.max(matchIndex.get(peer)!, reply.body.match));
          nextIndex.set(peer, matchIndex.get(peer)! + 1);
          advanceCommit();
        } else {
          nextIndex.set(peer, Math.max(1, Math.min(next - 1, reply.body.hint + 1)));
        }
        if (nextIndex.get(peer)! <= lastIndex()) replicate(peer);
      },
      () => inFlight.delete(peer),
    );
  };

  const becomeLeader = () => {
    role = "leader";
    leader = node.id;
    for (const peer of node.peers) {
      nextIndex.set(peer, lastIndex() + 1);
      matchIndex.set(peer, 0);
      inFlight.delete(peer);
    }
    for (const peer of node.peers) replicate(peer);
  };

  const stand = () => {
    role = "candidate";
    leader = undefined;
    meta.term++;
    meta.votedFor = node.id;
    saveMeta();
    const term = meta.term;
    heardAt = node.now();
    timeoutMs = 150 + node.random() * 150;
    let votes = 1;
    const ask = { type: "vote", term, lastIndex: lastIndex(), lastTerm: lastTerm() };
    for (const peer of node.peers) {
      node.rpc(peer, ask, { timeoutMs: 100 }).then(
        (reply) => {
          observeTerm(reply.body.term);
          if (role === "candidate" && meta.term === term && reply.body.granted && ++votes === majority) becomeLeader();
        },
        () => {},
      );
    }
  };

  node.on("vote", (msg) => {
    const b = msg.body;
    observeTerm(b.term);
    const upToDate = b.lastTerm > lastTerm() || (b.lastTerm === lastTerm() && b.lastIndex >= lastIndex());
    const granted = b.term === meta.term && (meta.votedFor === null || meta.votedFor === msg.src) && upToDate;
    if (granted) {
      meta.votedFor = msg.src;
      saveMeta(); // before the answer leaves: a vote forgotten in a crash could be given twice
      heardAt = node.now();
    }
    node.reply(msg, { type: "vote_ok", term: meta.term, granted });
  });

  node.on("append", (msg) => {
    const b = msg.body;
    observeTerm(b.term);
    if (b.term < meta.term) return node.reply(msg, { type: "append_ok", term: meta.term, ok: false, hint: lastIndex() });
    if (role !== "follower") becomeFollower();
    leader = msg.src;
    heardAt = node.now();
    if (b.prevIndex > lastIndex() || log[b.prevIndex]!.term !== b.prevTerm) {
      return node.reply(msg, { type: "append_ok", term: meta.term, ok: false, hint: Math.min(lastIndex(), b.prevIndex - 1) });
    }
    const entries: Entry[] = b.entries;
    // Keep what matches (a late, reordered append must not cut what a newer one added); cut at a conflict.
    let j = 0;
    while (j < entries.length && b.prevIndex + 1 + j <= lastIndex() && log[b.prevIndex + 1 + j]!.term === entries[j]!.term) j++;
    if (j < entries.length) writeLog(b.prevIndex + 1 + j, entries.slice(j));
    const match = b.prevIndex + entries.length;
    commitTo(Math.min(b.commit, match));
    node.reply(msg, { type: "append_ok", term: meta.term, ok: true, match });
  });

  node.on("status", (msg) => {
    const from = Math.max(1, Number(msg.body.from) || 1);
    node.reply(msg, { type: "status_ok", term: meta.term, role, commit: commitIndex, length: lastIndex(), entries: log.slice(from) });
  });

  node.every(heartbeatMs, () => {
    if (role === "leader") for (const peer of node.peers) replicate(peer);
  });
  node.every(10, () => {
    if (role !== "leader" && node.now() - heardAt >= timeoutMs) stand();
  });

  const handle = async (msg: Message) => {
    const { type, key, value, from, to } = msg.body;
    const op: Body = { type, key, value, from, to };
    if (role === "leader") {
      writeLog(lastIndex() + 1, [{ term: meta.term, op }]);
      waiting.set(lastIndex(), { msg, term: meta.term });
      for (const peer of node.peers) replicate(peer);
      return;
    }
    if (msg.body.forwarded || !leader) return node.reply(msg, unavailable("no leader known"));
    try {
      const answer = await node.rpc(leader, { ...op, forwarded: true }, { timeoutMs: 500 });
      const { msg_id: _id, in_reply_to: _re, ...body } = answer.body;
      node.reply(msg, body as Body);
    } catch (err: any) {
      if (err?.body) {
        const { msg_id: _id, in_reply_to: _re, ...body } = err.body;
        return node.reply(msg, body as Body);
      }
      node.reply(msg, type === "read" ? unavailable("leader did not answer") : unknownOutcome("leader did not answer"));
    }
  };
  for (const type of ["read", "write", "cas"]) node.on(type, handle);
}
