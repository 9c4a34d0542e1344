import type { Node } from "clusterlab";

// Every registry node keeps the whole table: instance -> the local time its lease ends. An instance
// heartbeats to one node; that node renews the lease and passes the heartbeat on to its peers, which renew
// it too, each by its own clock (clocks may be skewed, so no absolute time crosses the network). A lease is
// four heartbeat intervals: a late heartbeat, even together with a move to another registry node after a
// timeout, does not drop a live instance, and a dead one is gone some 400 ms after its last beat.
// A restarted node has lost its table; it answers "unavailable" (11) until every live instance has had
// time to beat once more, so clients ask another node instead of getting an empty answer.
const WARM_UP_MS = 250;

export default function start(node: Node) {
  const leases = new Map<string, { service: string; untilMs: number }>();
  const restarted = node.storage.get<boolean>("started") === true;
  node.storage.set("started", true);
  const readyAtMs = restarted ? node.now() + WARM_UP_MS : -Infinity; // clocks may start below 0

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
