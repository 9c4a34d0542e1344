// fails: new-instances-visible
import type { Node } from "clusterlab";

// Heartbeats are passed on to the peers, and each node also keeps every lease in node.storage, so that a
// restarted node can answer at once from the table it had. But a lease is soft state: the node missed every
// renewal while it was down, and after 500 ms down (more than the 400 ms TTL) every stored lease has ended, though the
// instances live. Storage keeps the registrations; only the other nodes know which are still current.
export default function start(node: Node) {
  type Lease = { service: string; untilMs: number };
  const leases = new Map<string, Lease>();
  for (const key of node.storage.keys()) {
    if (key.startsWith("lease/")) leases.set(key.slice(6), node.storage.get<Lease>(key)!);
  }

  const renew = (service: string, instance: string, heartbeatMs: number) => {
    const lease = { service, untilMs: node.now() + 4 * heartbeatMs };
    leases.set(instance, lease);
    node.storage.set(`lease/${instance}`, lease);
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

  node.every(1000, () => {
    const now = node.now();
    for (const [id, l] of leases) {
      if (l.untilMs > now) continue;
      leases.delete(id);
      node.storage.delete(`lease/${id}`);
    }
  });
}
