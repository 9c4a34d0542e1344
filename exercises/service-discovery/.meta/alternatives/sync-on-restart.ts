import type { Node } from "clusterlab";

// Heartbeats are passed on to the peers as in the reference. A restarted node does not wait for the table
// to refill: it asks its peers for theirs ("sync"), each entry with the ms left on its lease (durations, as
// the nodes' clocks are skewed), and answers 11 until one of them has answered.
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
    for (const peer of node.peers) node.send(peer, { type: "renew", service, instance, left_ms: 4 * heartbeat_ms });
    node.reply(msg, { type: "register_ok" });
  });

  node.on("renew", (msg) => extend(msg.body.instance, msg.body.service, msg.body.left_ms));

  node.on("sync", (msg) => {
    const now = node.now();
    const entries = [...leases].filter(([, l]) => l.untilMs > now).map(([id, l]) => [id, l.service, l.untilMs - now]);
    node.reply(msg, { type: "sync_ok", entries });
  });

  const pull = (peer: string) =>
    node.rpc(peer, { type: "sync" }, { timeoutMs: 100 }).then(
      (answer) => {
        for (const [instance, service, leftMs] of answer.body.entries as [string, string, number][]) extend(instance, service, leftMs);
        synced = true;
      },
      () => {}, // that peer is down too: another one will answer
    );
  const syncing = () => {
    if (synced) return;
    for (const peer of node.peers) void pull(peer);
    node.after(150, syncing);
  };
  syncing();

  node.on("resolve", (msg) => {
    if (!synced) return node.reply(msg, { type: "error", code: 11, text: "restarted, syncing from a peer" });
    const now = node.now();
    const instances = [...leases].filter(([, l]) => l.service === msg.body.service && l.untilMs > now).map(([id]) => id);
    node.reply(msg, { type: "resolve_ok", instances });
  });

  node.every(1000, () => {
    const now = node.now();
    for (const [id, l] of leases) if (l.untilMs <= now) leases.delete(id);
  });
}
