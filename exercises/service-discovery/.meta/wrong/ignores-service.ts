// fails: no-stale-instances
import type { Node } from "clusterlab";

// The reference, but the table is one list of instances for every service: asked for "api", it also
// answers with the "auth" instances, and clients call an instance that does not serve what they want.
const WARM_UP_MS = 250;

export default function start(node: Node) {
  const leases = new Map<string, number>();
  const restarted = node.storage.get<boolean>("started") === true;
  node.storage.set("started", true);
  const readyAtMs = restarted ? node.now() + WARM_UP_MS : -Infinity; // clocks may start below 0

  const renew = (instance: string, heartbeatMs: number) => leases.set(instance, node.now() + 4 * heartbeatMs);

  node.on("register", (msg) => {
    const { service, instance, heartbeat_ms } = msg.body;
    renew(instance, heartbeat_ms);
    for (const peer of node.peers) node.send(peer, { type: "renew", service, instance, heartbeat_ms });
    node.reply(msg, { type: "register_ok" });
  });

  node.on("renew", (msg) => {
    renew(msg.body.instance, msg.body.heartbeat_ms);
  });

  node.on("resolve", (msg) => {
    if (node.now() < readyAtMs) return node.reply(msg, { type: "error", code: 11, text: "restarted, still learning the table" });
    const now = node.now();
    node.reply(msg, { type: "resolve_ok", instances: [...leases].filter(([, untilMs]) => untilMs > now).map(([id]) => id) });
  });
}
