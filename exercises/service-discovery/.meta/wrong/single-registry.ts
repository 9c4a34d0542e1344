// fails: resolution-available
import type { Node } from "clusterlab";

// One node (the first) holds the table; the others pass every heartbeat and every resolve on to it and
// relay its answer. Correct while n1 lives; while it is down, no node can answer a client.
export default function start(node: Node) {
  const primary = node.nodeIds[0]!;
  const leases = new Map<string, { service: string; untilMs: number }>();

  node.on("register", async (msg) => {
    const { service, instance, heartbeat_ms } = msg.body;
    if (node.id === primary) leases.set(instance, { service, untilMs: node.now() + 4 * heartbeat_ms });
    else node.send(primary, { type: "register", service, instance, heartbeat_ms });
    node.reply(msg, { type: "register_ok" });
  });

  node.on("resolve", async (msg) => {
    if (node.id !== primary) {
      try {
        const answer = await node.rpc(primary, { type: "resolve", service: msg.body.service }, { timeoutMs: 100 });
        return node.reply(msg, { type: "resolve_ok", instances: answer.body.instances });
      } catch {
        return; // the client will ask someone else
      }
    }
    const now = node.now();
    const instances = [...leases].filter(([, l]) => l.service === msg.body.service && l.untilMs > now).map(([id]) => id);
    node.reply(msg, { type: "resolve_ok", instances });
  });
}
