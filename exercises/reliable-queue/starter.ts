import type { Node } from "clusterlab";

export default function start(node: Node) {
  // Every node keeps its own queue in memory: a consumer that asks another node sees other messages.
  const messages = new Map<string, { id: string; group: string; payload: unknown }>();
  const balances: Record<string, number> = {};

  node.on("send", (msg) => {
    const { id, group, payload } = msg.body;
    messages.set(id, { id, group, payload });
    node.reply(msg, { type: "send_ok" });
  });

  node.on("receive", (msg) => {
    const first = messages.values().next();
    if (first.done) return node.reply(msg, { type: "receive_ok" });
    // TODO: receiving must not delete: hide the message for msg.body.visibility_ms and count the delivery
    messages.delete(first.value.id);
    node.reply(msg, { type: "receive_ok", message: { id: first.value.id, receipt: first.value.id, payload: first.value.payload } });
  });

  node.on("extend", (msg) => {
    // TODO: keep the message hidden longer; error 22 when the receipt is no longer its latest delivery
    node.reply(msg, { type: "extend_ok" });
  });

  node.on("ack", (msg) => {
    messages.delete(msg.body.id);
    node.reply(msg, { type: "ack_ok" });
  });

  node.on("apply", (msg) => {
    // TODO: a message delivered twice must not be applied twice
    balances[msg.body.account] = (balances[msg.body.account] ?? 0) + msg.body.amount;
    node.reply(msg, { type: "apply_ok" });
  });

  node.on("read_ledger", (msg) => node.reply(msg, { type: "read_ledger_ok", balances }));
  // TODO: move a message to the dead-letter queue after 3 deliveries
  node.on("read_dlq", (msg) => node.reply(msg, { type: "read_dlq_ok", ids: [] }));
}
