// fails: single-belief
import type { Node } from "clusterlab";

// Right timing, wrong use: "I lead" is a flag that a timer clears when the lease ends. A node paused
// past its lease wakes to a queue of messages and timers; the messages that came before the timer was
// due are handled first, and the flag still says "leader".
const DRIFT = 0.05;
const ASK_EVERY_MS = 50;

export default function start(node: Node) {
  let token = 0;
  let validUntil = -Infinity; // on this node's clock
  let leader = false;
  let expiry = 0;

  const leads = () => leader;

  const ask = async () => {
    const sentAt = node.now();
    try {
      const reply = await node.rpc("lock", { type: "acquire" }, { timeoutMs: 200 });
      const until = sentAt + reply.body.lease_ms * (1 - DRIFT) - 1;
      // Answers may arrive out of order: a newer term, or a later end of this one, wins.
      if (reply.body.token > token || (reply.body.token === token && until > validUntil)) {
        token = reply.body.token;
        validUntil = until;
        leader = true;
        node.cancel(expiry);
        expiry = node.after(until - node.now(), () => (leader = false));
      }
    } catch {
      // Held by another node, or no answer: try again at the next round.
    }
  };
  node.every(ASK_EVERY_MS, () => void ask());
  void ask();

  node.on("role", (msg) => node.reply(msg, { type: "role_ok", role: leads() ? "leader" : "follower" }));

  node.on("write", async (msg) => {
    if (!leads()) return node.reply(msg, { type: "error", code: 11, text: "not the leader" });
    try {
      await node.rpc("store", { type: "write", value: msg.body.value, token }, { timeoutMs: 1500 });
      node.reply(msg, { type: "write_ok" });
    } catch (e: any) {
      // Refused (a newer leader has written: this node is deposed) or lost: the client asks another node.
      if (e?.code === 22) leader = false;
      node.reply(msg, { type: "error", code: 11, text: "the write did not go through" });
    }
  });
}
