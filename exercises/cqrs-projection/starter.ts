import type { Node } from "clusterlab";

export default function start(node: Node) {
  const writer = node.nodeIds[0]!;
  if (node.id === writer) {
    const log: Array<{ seq: number; id: string; key: string; op: string; value: number }> = [];
    node.on("add", (msg) => {
      const event = { seq: log.length + 1, id: msg.body.id, key: msg.body.key, op: "add", value: msg.body.delta };
      log.push(event);
      // TODO: the read models never hear about it
      node.reply(msg, { type: "add_ok", version: event.seq });
    });
    // TODO: {type: "write", id, key, value}
    node.on("log", (msg) => node.reply(msg, { type: "log_ok", events: log }));
  } else {
    const state: Record<string, number> = {};
    const version = 0;
    node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: state, version }));
  }
}
