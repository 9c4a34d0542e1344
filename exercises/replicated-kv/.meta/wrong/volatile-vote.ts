// fails: linearizable
// The reference, except that a node keeps its promise (the term it voted for) in memory only and persists
// just its copy of the data. A node that votes, crashes and comes back at once has forgotten its vote: it
// promises the same term to a second candidate, two leaders share one term, and both answer clients.
import type { Node, Message, Body } from "clusterlab";

// Leader-based replication with failover, in the style of multi-Paxos over the whole (small) state.
//
// Every node keeps, in node.storage so a crash does not lose them: `promised`, the highest term it has
// promised to follow, and `accepted`, the latest copy of the data it accepted with its version [term, seq].
// - A leader of term T applies a batch of client operations to its copy, sends the new copy (version [T, seq+1])
//   to every peer, and answers the batch only once a majority (itself included) has accepted it. Reads go
//   through a round too: a majority accepting term T proves no newer leader has finished an operation yet.
// - A node accepts a copy only from a term at least as new as its promise: a deposed leader's copies are refused.
// - A follower that hears nothing from a leader for a random 150–300 ms asks every node to promise term
//   promised + 1. A majority of promises (its own included) makes it leader; it adopts the copy with the
//   highest version among them. Any majority shares a node with the majority that accepted the last committed copy, so nothing
//   acknowledged is lost, and at most one node can win a given term.
// Followers forward client requests to the leader they last heard from and relay its answers.
type Version = [number, number];
interface Replica {
  version: Version;
  data: Record<string, unknown>;
}

const newer = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1];
const unavailable = (text: string): Body => ({ type: "error", code: 11, text });
const unknownOutcome = (text: string): Body => ({ type: "error", code: 0, text });

/** Resolves with the first `need` successful calls, or rejects once so many failed that `need` is out of reach. */
function quorum<T>(calls: Promise<T>[], need: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    let failed = 0;
    if (need <= 0) return resolve(got);
    for (const call of calls) {
      call.then(
        (value) => {
          got.push(value);
          if (got.length === need) resolve(got);
        },
        () => {
          if (++failed > calls.length - need) reject(new Error("no quorum"));
        },
      );
    }
  });
}

export default function start(node: Node) {
  const majority = Math.floor(node.nodeIds.length / 2) + 1;
  // The mistake: the promise is not read back after a restart, nor ever written.
  let promised = 0;
  let accepted: Replica = node.storage.get("accepted") ?? { version: [0, 0], data: {} };
  const save = () => {
    node.storage.set("accepted", accepted);
  };

  let role: "follower" | "candidate" | "leader" = "follower";
  let leader: string | undefined;
  let lastHeard = node.now();
  // The first node stands for election at once, so a fresh cluster has a leader quickly.
  let electionTimeoutMs = node.id === node.nodeIds[0] && promised === 0 ? 0 : 150 + node.random() * 150;
  const queue: Message[] = [];
  let roundInFlight = false;

  /** A term at least ours is in use: follow it (its leader, when known). False when the term is stale. */
  const follow = (term: number, leaderId: string | undefined): boolean => {
    if (term < promised) return false;
    if (term > promised || role !== "follower") {
      promised = term;
      role = "follower";
      save();
    }
    leader = leaderId;
    lastHeard = node.now();
    return true;
  };

  const apply = (data: Record<string, unknown>, body: Body): Body => {
    const k = JSON.stringify(body.key);
    const exists = Object.prototype.hasOwnProperty.call(data, k);
    if (body.type === "read") return exists ? { type: "read_ok", value: data[k] } : { type: "error", code: 20, text: "key does not exist" };
    if (body.type === "write") {
      data[k] = body.value;
      return { type: "write_ok" };
    }
    if (!exists) return { type: "error", code: 20, text: "key does not exist" };
    if (JSON.stringify(data[k]) !== JSON.stringify(body.from)) return { type: "error", code: 22, text: "value differs from `from`" };
    data[k] = body.to;
    return { type: "cas_ok" };
  };

  /** One replication round for everything queued: answered only once a majority accepted the new copy. */
  const round = async () => {
    if (roundInFlight || role !== "leader" || queue.length === 0) return;
    roundInFlight = true;
    const term = promised;
    const batch = queue.splice(0);
    const data = { ...accepted.data };
    const answers = batch.map((msg) => apply(data, msg.body));
    accepted = { version: [term, accepted.version[1] + 1], data };
    save();
    const calls = node.peers.map((peer) =>
      node.rpc(peer, { type: "accept", term, replica: accepted }, { timeoutMs: 200 }).catch((err) => {
        if (err?.body?.term > promised) follow(err.body.term, undefined); // deposed: a newer leader exists
        throw err;
      }),
    );
    try {
      await quorum(calls, majority - 1);
      batch.forEach((msg, i) => node.reply(msg, answers[i]!));
    } catch {
      // A minority may hold the new copy and a later leader may adopt it: writes have an unknown outcome.
      for (const msg of batch) node.reply(msg, msg.body.type === "read" ? unavailable("lost the majority") : unknownOutcome("lost the majority"));
    }
    roundInFlight = false;
    void round();
  };

  const elect = async () => {
    // Asking does not raise our own promise yet: a node cut off from the others would otherwise keep raising
    // its term, and on its return depose a healthy leader (or never follow it again).
    const term = promised + 1;
    role = "candidate";
    leader = undefined;
    lastHeard = node.now();
    electionTimeoutMs = 150 + node.random() * 150;
    let promises: Message[];
    try {
      promises = await quorum(node.peers.map((peer) => node.rpc(peer, { type: "prepare", term }, { timeoutMs: 100 })), majority - 1);
    } catch {
      return; // the election timer tries again
    }
    // Meanwhile we may have promised this term to another candidate, or followed a leader: then we lost.
    if (promised >= term || role !== "candidate") return;
    let best = accepted;
    for (const p of promises) if (newer(p.body.accepted.version, best.version) > 0) best = p.body.accepted;
    promised = term;
    accepted = { version: [term, best.version[1] + 1], data: best.data };
    role = "leader";
    leader = node.id;
    save();
    heartbeat();
  };

  const heartbeat = () => {
    for (const peer of node.peers) node.send(peer, { type: "heartbeat", term: promised, replica: accepted });
  };

  const store = (replica: Replica) => {
    if (newer(replica.version, accepted.version) > 0) {
      accepted = replica;
      save();
    }
  };

  node.on("prepare", (msg) => {
    // A leader, or a follower that hears its leader, does not help depose it.
    if (role === "leader" || (role === "follower" && leader && node.now() - lastHeard < 150)) return node.reply(msg, { type: "error", code: 11, text: "leader alive", term: promised });
    if (msg.body.term <= promised) return node.reply(msg, { type: "error", code: 22, text: "already promised", term: promised });
    promised = msg.body.term;
    role = "follower";
    leader = undefined;
    lastHeard = node.now();
    save();
    node.reply(msg, { type: "prepare_ok", accepted });
  });
  node.on("accept", (msg) => {
    if (!follow(msg.body.term, msg.src)) return node.reply(msg, { type: "error", code: 22, text: "stale term", term: promised });
    store(msg.body.replica);
    node.reply(msg, { type: "accept_ok" });
  });
  node.on("heartbeat", (msg) => {
    if (follow(msg.body.term, msg.src)) store(msg.body.replica);
  });

  node.every(50, () => {
    if (role === "leader") heartbeat();
  });
  // Checked often, so that two nodes' random timeouts rarely expire at the same moment (a split vote).
  node.every(10, () => {
    if (role !== "leader" && node.now() - lastHeard >= electionTimeoutMs) void elect();
  });

  const handle = async (msg: Message) => {
    if (role === "leader") {
      queue.push(msg);
      return round();
    }
    // A forwarded request reached a node that is no longer leader: refuse it, it was not applied.
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
}
