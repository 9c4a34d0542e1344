import type { Node } from "clusterlab";

// A small state machine per node: follower or leader of a term. The leader renews every 75 ms; followers
// ask at a random moment of every 30-60 ms, so that they do not all hit the lock together. Each answer
// is judged against the request it answers (its departure time on this node's clock), and the lease's
// end is the departure plus lease_ms / (1 + 5%) minus 1 ms: the longest span this clock can show while
// at most lease_ms of real time passes. The token of the term is sent with each write; a restarted node
// starts as a follower and must hear the lock again before it leads.
type State = { role: "follower" } | { role: "leader"; token: number; endsAt: number };
const DRIFT = 0.05;

export default function start(node: Node) {
  let state: State = { role: "follower" };
  let highestToken = 0;

  const current = (): State => {
    if (state.role === "leader" && node.now() >= state.endsAt) state = { role: "follower" };
    return state;
  };

  async function ask(): Promise<void> {
    const departed = node.now();
    try {
      const { body } = await node.rpc("lock", { type: "acquire" }, { timeoutMs: 200 });
      if (body.token < highestToken) return;
      highestToken = body.token;
      const endsAt = departed + body.lease_ms / (1 + DRIFT) - 1;
      const s = current();
      if (s.role === "leader" && s.token === body.token && s.endsAt >= endsAt) return;
      state = { role: "leader", token: body.token, endsAt };
    } catch {
      // refused or unanswered
    }
  }

  const schedule = (): void => {
    const wait = current().role === "leader" ? 75 : 30 + node.random() * 30;
    node.after(wait, () => {
      void ask();
      schedule();
    });
  };
  void ask();
  schedule();

  node.on("role", (msg) => node.reply(msg, { type: "role_ok", role: current().role }));

  node.on("write", async (msg) => {
    const s = current();
    if (s.role !== "leader") return node.reply(msg, { type: "error", code: 11, text: "not the leader" });
    try {
      await node.rpc("store", { type: "write", value: msg.body.value, token: s.token }, { timeoutMs: 1500 });
      node.reply(msg, { type: "write_ok" });
    } catch (e: any) {
      if (e?.code === 22 && state.role === "leader" && state.token === s.token) state = { role: "follower" };
      node.reply(msg, { type: "error", code: 11, text: "write refused or lost" });
    }
  });
}
