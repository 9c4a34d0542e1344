// fails: linearizable
// The leader-follower design of the reference, but cas never compares: it writes `to` whatever the current
// value is, and acknowledges. A cas whose `from` did not match must fail with error 22.
import type { Node, Message } from "clusterlab";

export default function start(node: Node) {
  const leader = node.nodeIds[0]!;
  const data = new Map<string, unknown>();
  const keyOf = (key: unknown) => JSON.stringify(key);

  const apply = (body: Message["body"]): Message["body"] => {
    const k = keyOf(body.key);
    if (body.type === "read") {
      return data.has(k) ? { type: "read_ok", value: data.get(k) } : { type: "error", code: 20, text: "key does not exist" };
    }
    if (body.type === "write") {
      data.set(k, body.value);
      return { type: "write_ok" };
    }
    data.set(k, body.to); // BUG: ignores body.from
    return { type: "cas_ok" };
  };

  const handle = async (msg: Message) => {
    if (node.id === leader) return node.reply(msg, apply(msg.body));
    const { type, key, value, from, to } = msg.body;
    try {
      const answer = await node.rpc(leader, { type, key, value, from, to }, { timeoutMs: 400 });
      node.reply(msg, { ...answer.body, msg_id: undefined, in_reply_to: undefined });
    } catch (err: any) {
      if (err?.body) return node.reply(msg, { ...err.body, msg_id: undefined, in_reply_to: undefined });
      node.reply(msg, type === "read" ? { type: "error", code: 11, text: "leader unreachable" } : { type: "error", code: 0, text: "timeout" });
    }
  };
  for (const type of ["read", "write", "cas"]) node.on(type, handle);
}
