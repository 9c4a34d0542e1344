// Design the chat service: its components and one handler per request type (see the instructions).
// This starter runs, but falls over: one small pool in one zone of one region, a single database primary.
// `ctx.call(component, op, …args)` resolves at the virtual time the answer arrives; ctx.random() is seeded.
import { design, lb, pool, sql } from "clusterlab";

export default design({
  prompt: "chat",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 2 }),
    db: sql({ instance: "db.r7g.large" }),
  },
  handlers: {
    async send(ctx, req) {
      const seq = await ctx.call("db", "append", `conv:${req.conversation}`, JSON.stringify({ id: req.messageId, text: req.text }));
      return { seq };
    },
    async sync(ctx, req) {
      const list = await ctx.call("db", "range", `conv:${req.conversation}`, req.after);
      return { messages: list.map((m, i) => ({ id: (JSON.parse(m) as { id: string }).id, seq: req.after + 1 + i })) };
    },
    async connect() {
      return { ok: true };
    },
  },
});
