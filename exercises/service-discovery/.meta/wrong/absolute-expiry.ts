// fails: new-instances-visible
import type { Node } from "clusterlab";

// The node that takes a heartbeat tells its peers when the lease ends, as a time on its own clock, and
// they compare that time with theirs. The clocks are up to 500 ms apart: on a node whose clock is ahead the
// lease is over before it starts (live instances go missing); on one behind, a dead instance lingers.
const WARM_UP_MS = 250;

export default function start(node: Node) {
  const leases = new Map<string, { service: string; untilMs: number }>();
  const restarted = node.storage.get<boolean>("started") === true;
  node.storage.set("started", true);
  const readyAtMs = restarted ? node.now() + WARM_UP_MS : -Infinity; // clocks may start below 0

  node.on("register", (msg) => {
    const { service, instance, heartbeat_ms } = msg.body;
    const untilMs = node.now() + 4 * heartbeat_ms;
    leases.set(instance, { service, untilMs });
    for (const peer of node.peers) node.send(peer, { type: "renew", service, instance, until_ms: untilMs });
    node.reply(msg, { type: "register_ok" });
  });

  node.on("renew", (msg) => {
    leases.set(msg.body.instance, { service: msg.body.service, untilMs: msg.body.until_ms });
  });

  node.on("resolve", (msg) => {
    if (node.now() < readyAtMs) return node.reply(msg, { type: "error", code: 11, text: "restarted, still learning the table" });
    const now = node.now();
    const instances = [...leases].filter(([, l]) => l.service === msg.body.service && l.untilMs > now).map(([id]) => id);
    node.reply(msg, { type: "resolve_ok", instances });
  });
}
