// fails: failover
import type { Node } from "clusterlab";

// The leader asks again only once its own lease has run out: by the time its request reaches the lock the
// lease there has often ended too, and whichever node asks first takes it: the lease changes hands with
// no crash or pause to explain it.
const DRIFT = 0.05;
const ASK_EVERY_MS = 50;

export default function start(node: Node) {
  let token = 0;
  let validUntil = -Infinity; // on this node's clock

  const leads = () => node.now() < validUntil;

  const ask = async () => {
    const sentAt = node.now();
    try {
      const reply = await node.rpc("lock", { type: "acquire" }, { timeoutMs: 200 });
      const until = sentAt + reply.body.lease_ms * (1 - DRIFT) - 1;
      // Answers may arrive out of order: a newer term, or a later end of this one, wins.
      if (reply.body.token > token || (reply.body.token === token && until > validUntil)) {
        token = reply.body.token;
        validUntil = until;
      }
    } catch {
      // Held by another node, or no answer: try again at the next round.
    }
  };
  // Followers ask every 50 ms; the leader renews only when its lease is up.
  node.every(ASK_EVERY_MS, () => {
    if (!leads()) void ask();
  });
  void ask();

  node.on("role", (msg) => node.reply(msg, { type: "role_ok", role: leads() ? "leader" : "follower" }));

  node.on("write", async (msg) => {
    if (!leads()) return node.reply(msg, { type: "error", code: 11, text: "not the leader" });
    try {
      await node.rpc("store", { type: "write", value: msg.body.value, token }, { timeoutMs: 1500 });
      node.reply(msg, { type: "write_ok" });
    } catch (e: any) {
      // Refused (a newer leader has written: this node is deposed) or lost: the client asks another node.
      if (e?.code === 22) validUntil = -Infinity;
      node.reply(msg, { type: "error", code: 11, text: "the write did not go through" });
    }
  });
}
