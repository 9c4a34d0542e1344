// fails: linearizable
// The reference, except that a forwarded write or cas that timed out is reported as a definite failure (error
// 11): the leader may have applied it, and only its reply was lost to the partition.
import type { Node, Message } from "clusterlab";

export default function start(node: Node) {
  const leader = node.nodeIds[0]!;
  const keyOf = (key: unknown) => `kv:${JSON.stringify(key)}`;

  const apply = (body: Message["body"]): Message["body"] => {
    const k = keyOf(body.key);
    const current = node.storage.get<{ v: unknown }>(k);
    if (body.type === "read") {
      return current ? { type: "read_ok", value: current.v } : { type: "error", code: 20, text: "key does not exist" };
    }
    if (body.type === "write") {
      node.storage.set(k, { v: body.value });
      return { type: "write_ok" };
    }
    if (!current) return { type: "error", code: 20, text: "key does not exist" };
    if (JSON.stringify(current.v) !== JSON.stringify(body.from)) {
      return { type: "error", code: 22, text: `expected ${JSON.stringify(body.from)}, found ${JSON.stringify(current.v)}` };
    }
    node.storage.set(k, { v: body.to });
    return { type: "cas_ok" };
  };

  const handle = async (msg: Message) => {
    if (node.id === leader) return node.reply(msg, apply(msg.body));
    const { type, key, value, from, to } = msg.body;
    try {
      const answer = await node.rpc(leader, { type, key, value, from, to }, { timeoutMs: 400 });
      const { msg_id: _id, in_reply_to: _re, ...body } = answer.body;
      node.reply(msg, body as Message["body"]);
    } catch (err: any) {
      if (err?.body) {
        const { msg_id: _id, in_reply_to: _re, ...body } = err.body;
        return node.reply(msg, body as Message["body"]);
      }
      // No answer from the leader. A read changed nothing: a definite refusal is safe. A write or cas may
      // have been applied (only the reply was lost): its outcome is unknown, say so.
      if (type === "read") node.reply(msg, { type: "error", code: 11, text: "leader unreachable" });
      else node.reply(msg, { type: "error", code: 11, text: "leader unreachable" }); // BUG: it may have been applied
    }
  };
  for (const type of ["read", "write", "cas"]) node.on(type, handle);
}
