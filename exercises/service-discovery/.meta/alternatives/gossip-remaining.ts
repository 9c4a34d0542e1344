import type { Node } from "clusterlab";

// Anti-entropy instead of passing on each heartbeat: every 50 ms a node sends its peers its whole table as
// [instance, service, ms left on the lease]. The receiver keeps whichever lease ends later, by its own
// clock. Sending what is LEFT (not "it exists") is what lets a dead instance expire: every copy runs down
// with time, and a copy only ever carries what its sender still had (plus the message's flight time).
// A restarted node answers 11 until a peer's table has reached it.
const GOSSIP_MS = 50;

export default function start(node: Node) {
  const leases = new Map<string, { service: string; untilMs: number }>();
  const restarted = node.storage.get<boolean>("started") === true;
  node.storage.set("started", true);
  let synced = !restarted;

  const extend = (instance: string, service: string, leftMs: number) => {
    const untilMs = node.now() + leftMs;
    const known = leases.get(instance);
    if (!known || known.untilMs < untilMs) leases.set(instance, { service, untilMs });
  };

  node.on("register", (msg) => {
    const { service, instance, heartbeat_ms } = msg.body;
    extend(instance, service, 4 * heartbeat_ms);
    node.reply(msg, { type: "register_ok" });
  });

  node.on("table", (msg) => {
    for (const [instance, service, leftMs] of msg.body.entries as [string, string, number][]) extend(instance, service, leftMs);
    synced = true;
  });

  node.every(GOSSIP_MS, () => {
    const now = node.now();
    for (const [id, l] of leases) if (l.untilMs <= now) leases.delete(id);
    const entries = [...leases].map(([id, l]) => [id, l.service, l.untilMs - now]);
    for (const peer of node.peers) node.send(peer, { type: "table", entries });
  });

  node.on("resolve", (msg) => {
    if (!synced) return node.reply(msg, { type: "error", code: 11, text: "restarted, waiting for a peer's table" });
    const now = node.now();
    const instances = [...leases].filter(([, l]) => l.service === msg.body.service && l.untilMs > now).map(([id]) => id);
    node.reply(msg, { type: "resolve_ok", instances });
  });
}
