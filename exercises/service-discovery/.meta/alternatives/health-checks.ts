import type { Node } from "clusterlab";

// The reference's leases (four heartbeat intervals, renewed on every node by its own clock, a restarted node
// unavailable until the live instances have beaten again), and the registry checks on its instances itself,
// as a load balancer's health checks do: every 50 ms each node pings every instance in its table, and drops
// one that left two pings in a row unanswered for 40 ms. A crashed instance is then gone from this node's
// answers about 100 ms after its crash instead of 400, for two small messages per instance per node every
// 50 ms. A live instance's pong comes back in a few ms, so two misses in a row are a crash, not the network;
// if one is dropped by mistake, its next heartbeat puts it back.
const WARM_UP_MS = 250;
const PING_EVERY_MS = 50;
const PING_TIMEOUT_MS = 40;
const MISSES_MAX = 2;

export default function start(node: Node) {
  const leases = new Map<string, { service: string; untilMs: number; misses: number }>();
  const restarted = node.storage.get<boolean>("started") === true;
  node.storage.set("started", true);
  const readyAtMs = restarted ? node.now() + WARM_UP_MS : -Infinity;

  const renew = (service: string, instance: string, heartbeatMs: number) => {
    leases.set(instance, { service, untilMs: node.now() + 4 * heartbeatMs, misses: 0 });
  };

  node.on("register", (msg) => {
    const { service, instance, heartbeat_ms } = msg.body;
    renew(service, instance, heartbeat_ms);
    for (const peer of node.peers) node.send(peer, { type: "renew", service, instance, heartbeat_ms });
    node.reply(msg, { type: "register_ok" });
  });

  node.on("renew", (msg) => renew(msg.body.service, msg.body.instance, msg.body.heartbeat_ms));

  node.on("resolve", (msg) => {
    if (node.now() < readyAtMs) return node.reply(msg, { type: "error", code: 11, text: "restarted, still learning the table" });
    const now = node.now();
    const instances = [...leases].filter(([, l]) => l.service === msg.body.service && l.untilMs > now).map(([id]) => id);
    node.reply(msg, { type: "resolve_ok", instances });
  });

  node.every(PING_EVERY_MS, () => {
    const now = node.now();
    for (const [id, lease] of leases) {
      if (lease.untilMs <= now) {
        leases.delete(id);
        continue;
      }
      node.rpc(id, { type: "ping" }, { timeoutMs: PING_TIMEOUT_MS }).then(
        () => {
          if (leases.get(id) === lease) lease.misses = 0;
        },
        () => {
          // Only the entry that was pinged: a heartbeat since then made a new one.
          if (leases.get(id) === lease && ++lease.misses >= MISSES_MAX) leases.delete(id);
        },
      );
    }
  });
}
