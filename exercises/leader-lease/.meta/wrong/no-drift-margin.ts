// fails: single-belief
import type { Node } from "clusterlab";

// Everything the reference does (ask every 50 ms, time the lease from before the request, read the clock
// at each use, fence every write) but one thing: the lease is believed for its full lease_ms on this
// node's clock. The lock's lease_ms is true time; a clock that runs slow counts it out too late, so a
// leader cut off from the lock goes on saying "leader" for a few ms after the lock has let its lease go.
export default function start(node: Node) {
  let token = 0;
  let validUntil = -Infinity; // on this node's clock

  const leads = () => node.now() < validUntil;

  const ask = async () => {
    const sentAt = node.now();
    try {
      const reply = await node.rpc("lock", { type: "acquire" }, { timeoutMs: 200 });
      const until = sentAt + reply.body.lease_ms;
      if (reply.body.token > token || (reply.body.token === token && until > validUntil)) {
        token = reply.body.token;
        validUntil = until;
      }
    } catch {
      // Held by another node, or no answer: try again at the next round.
    }
  };
  node.every(50, () => void ask());
  void ask();

  node.on("role", (msg) => node.reply(msg, { type: "role_ok", role: leads() ? "leader" : "follower" }));

  node.on("write", async (msg) => {
    if (!leads()) return node.reply(msg, { type: "error", code: 11, text: "not the leader" });
    try {
      await node.rpc("store", { type: "write", value: msg.body.value, token }, { timeoutMs: 1500 });
      node.reply(msg, { type: "write_ok" });
    } catch (e: any) {
      if (e?.code === 22) validUntil = -Infinity;
      node.reply(msg, { type: "error", code: 11, text: "the write did not go through" });
    }
  });
}
