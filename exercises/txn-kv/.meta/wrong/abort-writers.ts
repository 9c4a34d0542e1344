// fails: availability
// Never wrong, never useful: every transaction that appends is aborted (error 30), and read-only ones are
// answered from lists that stay empty. Nothing is ever committed that could conflict, so every isolation
// level holds; the availability floor is what rules it out.
import type { Node } from "clusterlab";

type Micro = [string, number, unknown];

export default function start(node: Node) {
  node.on("txn", (msg) => {
    const txn = msg.body.txn as Micro[];
    if (txn.some(([f]) => f === "append")) return node.reply(msg, { type: "error", code: 30, text: "aborted" });
    node.reply(msg, { type: "txn_ok", txn: txn.map(([f, key]): Micro => [f, key, null]) });
  });
}
