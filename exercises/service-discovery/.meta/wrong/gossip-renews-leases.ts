// fails: no-stale-instances
import type { Node } from "clusterlab";

// Each node sends its peers the list of instances it knows every 100 ms, and a peer that receives the list
// renews a full lease for each of them. A crashed instance then never expires: every node keeps renewing
// it for the others, and they for it.
export default function start(node: Node) {
  const leases = new Map<string, { service: string; untilMs: number }>();
  const live = () => [...leases].filter(([, l]) => l.untilMs > node.now());

  node.on("register", (msg) => {
    const { service, instance, heartbeat_ms } = msg.body;
    leases.set(instance, { service, untilMs: node.now() + 4 * heartbeat_ms });
    node.reply(msg, { type: "register_ok" });
  });

  node.on("table", (msg) => {
    for (const [instance, service] of msg.body.entries as [string, string][]) leases.set(instance, { service, untilMs: node.now() + 400 });
  });

  node.every(100, () => {
    const entries = live().map(([id, l]) => [id, l.service]);
    for (const peer of node.peers) node.send(peer, { type: "table", entries });
  });

  node.on("resolve", (msg) => {
    const instances = live().filter(([, l]) => l.service === msg.body.service).map(([id]) => id);
    node.reply(msg, { type: "resolve_ok", instances });
  });
}
