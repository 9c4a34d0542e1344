// fails: single-belief
import type { Node } from "clusterlab";

// The lease is timed from when the lock's answer arrives, for its full length: the lock started it
// when the request arrived, 20-80 ms earlier (more when a pause held the answer), and a slow clock
// stretches it further. The node goes on saying "leader" after the lock has given the lease to another.
const DRIFT = 0.05;
const ASK_EVERY_MS = 50;

export default function start(node: Node) {
  let token = 0;
  let validUntil = -Infinity; // on this node's clock

  const leads = () => node.now() < validUntil;

  const ask = async () => {
    try {
      const reply = await node.rpc("lock", { type: "acquire" }, { timeoutMs: 200 });
      const until = node.now() + reply.body.lease_ms;
      // Answers may arrive out of order: a newer term, or a later end of this one, wins.
      if (reply.body.token > token || (reply.body.token === token && until > validUntil)) {
        token = reply.body.token;
        validUntil = until;
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
      if (e?.code === 22) validUntil = -Infinity;
      node.reply(msg, { type: "error", code: 11, text: "the write did not go through" });
    }
  });
}
