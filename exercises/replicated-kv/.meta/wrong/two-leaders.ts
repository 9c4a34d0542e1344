// fails: linearizable
// Failover without terms (epochs): every node follows the lowest-numbered node it has heard from in the last
// 200 ms, and a leader answers once a majority holds its new copy. But nothing says which leader is newer: a
// leader that was cut off, or that restarts after a crash, leads again at once with its old copy, beside the
// node that took over meanwhile, and followers accept copies from both.
import type { Node, Message, Body } from "clusterlab";

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
  let replica: { seq: number; data: Record<string, unknown> } = node.storage.get("replica") ?? { seq: 0, data: {} };
  const lastHeard = new Map<string, number>();
  const leader = () => node.nodeIds.find((id) => id === node.id || node.now() - (lastHeard.get(id) ?? -Infinity) < 200)!;

  node.every(50, () => {
    for (const peer of node.peers) node.send(peer, { type: "alive" });
  });
  node.on("alive", (msg) => {
    lastHeard.set(msg.src, node.now());
  });
  node.on("accept", (msg) => {
    lastHeard.set(msg.src, node.now());
    if (msg.body.replica.seq > replica.seq) {
      replica = msg.body.replica;
      node.storage.set("replica", replica);
    }
    node.reply(msg, { type: "accept_ok" });
  });

  const apply = (data: Record<string, unknown>, body: Body): Body => {
    const k = JSON.stringify(body.key);
    const exists = Object.prototype.hasOwnProperty.call(data, k);
    if (body.type === "read") return exists ? { type: "read_ok", value: data[k] } : { type: "error", code: 20, text: "key does not exist" };
    if (body.type === "write") {
      data[k] = body.value;
      return { type: "write_ok" };
    }
    if (!exists) return { type: "error", code: 20, text: "key does not exist" };
    if (JSON.stringify(data[k]) !== JSON.stringify(body.from)) return { type: "error", code: 22, text: "value differs" };
    data[k] = body.to;
    return { type: "cas_ok" };
  };

  const lead = async (msg: Message) => {
    const data = { ...replica.data };
    const answer = apply(data, msg.body);
    replica = { seq: replica.seq + 1, data };
    node.storage.set("replica", replica);
    try {
      await quorum(node.peers.map((peer) => node.rpc(peer, { type: "accept", replica }, { timeoutMs: 200 })), majority - 1);
      node.reply(msg, answer);
    } catch {
      node.reply(msg, msg.body.type === "read" ? { type: "error", code: 11, text: "no majority" } : { type: "error", code: 0, text: "no majority" });
    }
  };

  const handle = async (msg: Message) => {
    if (leader() === node.id) return lead(msg);
    if (msg.body.forwarded) return node.reply(msg, { type: "error", code: 11, text: "not the leader" });
    const { type, key, value, from, to } = msg.body;
    try {
      const answer = await node.rpc(leader(), { type, key, value, from, to, forwarded: true }, { timeoutMs: 600 });
      const { msg_id: _id, in_reply_to: _re, ...body } = answer.body;
      node.reply(msg, body as Body);
    } catch (err: any) {
      if (err?.body) {
        const { msg_id: _id, in_reply_to: _re, ...body } = err.body;
        return node.reply(msg, body as Body);
      }
      node.reply(msg, type === "read" ? { type: "error", code: 11, text: "leader unreachable" } : { type: "error", code: 0, text: "outcome unknown" });
    }
  };
  for (const type of ["read", "write", "cas"]) node.on(type, handle);
}
