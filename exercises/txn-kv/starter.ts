import type { Node } from "clusterlab";

type Micro = [string, number, unknown];

export default function start(node: Node) {
  // Each key's list. One node's lists only: the other nodes never hear of these appends.
  const lists = new Map<number, number[]>();

  node.on("txn", (msg) => {
    const txn = msg.body.txn as Micro[];
    // Runs the whole transaction at once, in this handler: nothing else happens on this node meanwhile.
    const result = txn.map(([f, key, value]): Micro => {
      if (f === "append") {
        lists.set(key, [...(lists.get(key) ?? []), value as number]);
        return [f, key, value];
      }
      const list = lists.get(key);
      return [f, key, list ? [...list] : null];
    });
    node.reply(msg, { type: "txn_ok", txn: result });
  });
  // TODO: every node must agree on each key's list (one order of appends), so that a transaction at any
  // node reads what was committed anywhere. Then: which transactions may commit together?
}
