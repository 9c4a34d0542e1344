// fails: availability
// Unique by construction: one node (n1) owns a durable counter and every other node asks it for each id.
// Correct, but a node cut off from n1, or any node while n1 is down, cannot answer at all.
import type { Node } from "clusterlab";

export default function start(node: Node) {
  const leader = node.nodeIds[0]!;
  let next: number = node.storage.get("next") ?? 0;
  const take = () => {
    const id = next++;
    node.storage.set("next", next);
    return id;
  };
  node.on("take", (msg) => node.reply(msg, { type: "take_ok", id: take() }));
  node.on("generate", async (msg) => {
    if (node.id === leader) return node.reply(msg, { type: "generate_ok", id: take() });
    try {
      const reply = await node.rpc(leader, { type: "take" }, { timeoutMs: 400 });
      node.reply(msg, { type: "generate_ok", id: reply.body.id });
    } catch {
      node.reply(msg, { type: "error", code: 11, text: "the leader is unreachable" });
    }
  });
}
