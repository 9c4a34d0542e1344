import type { Node } from "clusterlab";

export default function start(node: Node) {
  // Who has registered, by service. TODO: expire an instance whose heartbeats stop (a TTL), tell the other
  // registry nodes (each instance heartbeats to only one of them), and survive a restart.
  const registered = new Map<string, Set<string>>();

  node.on("register", (msg) => {
    const { service, instance } = msg.body;
    if (!registered.has(service)) registered.set(service, new Set());
    registered.get(service)!.add(instance);
    node.reply(msg, { type: "register_ok" });
  });

  node.on("resolve", (msg) => {
    node.reply(msg, { type: "resolve_ok", instances: [...(registered.get(msg.body.service) ?? [])] });
  });
}
