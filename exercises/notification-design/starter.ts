// Design the notification system: its components, the notify handler and the handlers your queues'
// consumers run (see the instructions). This starter runs, but falls short: it sends in the request path,
// through one provider, with no idempotency key and no per-user limit.
// `ctx.call(component, op, …args)` resolves at the virtual time the answer arrives; ctx.random() is seeded.
import { design, lb, pool, provider } from "clusterlab";

export default design({
  prompt: "notifications",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 4, zones: ["a", "b"] }),
    push: provider({ channel: "push" }),
  },
  calls: {
    push: { timeoutMs: 1000, retries: 2 },
  },
  handlers: {
    async notify(ctx, req) {
      await ctx.call("push", "send", req.user, req.text);
      return { accepted: true };
    },
  },
});
