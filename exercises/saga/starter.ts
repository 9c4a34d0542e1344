import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("place_order", async (msg) => {
    const { order_id, item, qty, amount } = msg.body;
    node.reply(msg, { type: "place_order_ok" });
    // Each step once, in order. TODO: retry what times out (with an idempotency key), undo the steps
    // taken when a service refuses (last first), and keep each saga in node.storage across crashes.
    try {
      await node.rpc("orders", { type: "create_order", order_id });
      await node.rpc("inventory", { type: "reserve", order_id, item, qty });
      await node.rpc("payment", { type: "charge", order_id, amount });
      await node.rpc("orders", { type: "approve_order", order_id });
    } catch {
      // TODO: a refusal (22 out of stock, 14 declined) must be compensated
    }
  });
}
