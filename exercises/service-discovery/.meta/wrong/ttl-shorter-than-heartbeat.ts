// fails: new-instances-visible
import type { Node } from "clusterlab";

// The lease is 80 ms, shorter than the 100 ms between heartbeats: every instance drops out before its next
// beat and comes back with it (flapping).
const WARM_UP_MS = 250;

export default function start(node: Node) {
  const leases = new Map<string, { service: string; untilMs: number }>();
  const restarted = node.storage.get<boolean>("started") === true;
  node.storage.set("started", true);
  const readyAtMs = restarted ? node.now() + WARM_UP_MS : -Infinity; // clocks may start below 0

  const renew = (service: string, instance: string, heartbeatMs: number) => {
    leases.set(instance, { service, untilMs: node.now() + 80 });
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

  // Forget expired leases now and then, so the table does not grow with every instance that ever lived.
  node.every(1000, () => {
    const now = node.now();
    for (const [id, l] of leases) if (l.untilMs <= now) leases.delete(id);
  });
}
