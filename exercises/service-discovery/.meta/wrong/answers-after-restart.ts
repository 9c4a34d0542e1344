// fails: new-instances-visible
import type { Node } from "clusterlab";

// A restarted node answers resolve at once, from the few heartbeats it has heard since: the instances that
// have not beaten yet are missing from its answers.
export default function start(node: Node) {
  const leases = new Map<string, { service: string; untilMs: number }>();

  const renew = (service: string, instance: string, heartbeatMs: number) => {
    leases.set(instance, { service, untilMs: node.now() + 4 * heartbeatMs });
  };

  node.on("register", (msg) => {
    const { service, instance, heartbeat_ms } = msg.body;
    renew(service, instance, heartbeat_ms);
    for (const peer of node.peers) node.send(peer, { type: "renew", service, instance, heartbeat_ms });
    node.reply(msg, { type: "register_ok" });
  });

  node.on("renew", (msg) => renew(msg.body.service, msg.body.instance, msg.body.heartbeat_ms));

  node.on("resolve", (msg) => {
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
