// fails: linearizable
// Writes go through the leader, which replicates them to the followers asynchronously (after a delay); every
// node answers reads from its own copy. A read on a follower can miss an acknowledged write: a stale read.
import type { Node, Message } from "clusterlab";

export default function start(node: Node) {
  const leader = node.nodeIds[0]!;
  const data = new Map<string, unknown>();
  const keyOf = (key: unknown) => JSON.stringify(key);

  const replicate = (key: unknown, value: unknown) => {
    for (const peer of node.peers) node.after(50, () => node.send(peer, { type: "replicate", key, value }));
  };
  node.on("replicate", (msg) => {
    data.set(keyOf(msg.body.key), msg.body.value);
  });

  const applyOnLeader = (body: Message["body"]): Message["body"] => {
    const k = keyOf(body.key);
    if (body.type === "write") {
      data.set(k, body.value);
      replicate(body.key, body.value);
      return { type: "write_ok" };
    }
    if (!data.has(k)) return { type: "error", code: 20, text: "key does not exist" };
    if (JSON.stringify(data.get(k)) !== JSON.stringify(body.from)) return { type: "error", code: 22, text: "value differs" };
    data.set(k, body.to);
    replicate(body.key, body.to);
    return { type: "cas_ok" };
  };

  node.on("read", (msg) => {
    const k = keyOf(msg.body.key);
    if (!data.has(k)) return node.reply(msg, { type: "error", code: 20, text: "key does not exist" });
    node.reply(msg, { type: "read_ok", value: data.get(k) });
  });
  const update = async (msg: Message) => {
    if (node.id === leader) return node.reply(msg, applyOnLeader(msg.body));
    const { type, key, value, from, to } = msg.body;
    try {
      const answer = await node.rpc(leader, { type, key, value, from, to }, { timeoutMs: 400 });
      node.reply(msg, { ...answer.body, msg_id: undefined, in_reply_to: undefined });
    } catch (err: any) {
      node.reply(msg, err?.body ? { ...err.body, msg_id: undefined, in_reply_to: undefined } : { type: "error", code: 0, text: "timeout" });
    }
  };
  node.on("write", update);
  node.on("cas", update);
}
