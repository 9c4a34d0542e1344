import type { Node } from "clusterlab";

// One request to the lock in flight at a time, each scheduled from the last: the holder renews a third
// of a lease after its previous request left, the others ask again 10 ms after each refusal. The lease's
// end is kept in this node's clock, counted from the request's departure with the full drift allowance
// (a clock 5% slow shows 0.95 ms per real ms) and 2 ms to spare; it is compared with node.now() at every
// use. Writes carry the token; a refusal from the store means a newer term exists, so stop leading.
export default function start(node: Node) {
  let token = 0;
  let endsAt = -Infinity;
  const holding = () => node.now() < endsAt;

  const cycle = (): void => {
    const sentAt = node.now();
    let answered = false;
    const next = (ms: number) => {
      if (answered) return;
      answered = true;
      node.after(ms, cycle);
    };
    node
      .rpc("lock", { type: "acquire" }, { timeoutMs: 150 })
      .then((reply) => {
        const lease: number = reply.body.lease_ms;
        const end = sentAt + lease * 0.95 - 2;
        if (reply.body.token > token || end > endsAt) {
          token = reply.body.token;
          endsAt = end;
        }
        next(Math.max(0, sentAt + lease / 3 - node.now()));
      })
      .catch(() => next(10));
  };
  cycle();

  node.on("role", (msg) => node.reply(msg, { type: "role_ok", role: holding() ? "leader" : "follower" }));

  node.on("write", (msg) => {
    if (!holding()) return node.reply(msg, { type: "error", code: 11, text: "not the leader" });
    node
      .rpc("store", { type: "write", value: msg.body.value, token }, { timeoutMs: 1500 })
      .then(() => node.reply(msg, { type: "write_ok" }))
      .catch((e) => {
        if (e?.code === 22) endsAt = -Infinity;
        node.reply(msg, { type: "error", code: 11, text: "write refused or lost" });
      });
  });
}
