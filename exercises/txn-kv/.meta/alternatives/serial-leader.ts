import type { Node, Message } from "clusterlab";

// The simplest serializable design: one node runs every transaction, one at a time.
//
// The first node holds the lists in node.storage (one entry per key) and runs each transaction whole inside
// one handler, so nothing interleaves with it: the commit order is the order it ran them in. The other nodes
// forward the whole transaction and relay the answer; if the answer does not come, the transaction may have
// run, so they say error 0. Nothing is replicated: every transaction pays a round trip to the first node,
// and while it is down or cut off, nothing commits at all.
type Micro = [string, number, unknown];

export default function start(node: Node) {
  const leader = node.nodeIds[0]!;
  const listOf = (key: number): number[] => node.storage.get<number[]>(`list:${key}`) ?? [];

  const run = (txn: Micro[]): Micro[] =>
    txn.map(([f, key, value]): Micro => {
      if (f === "append") {
        node.storage.set(`list:${key}`, [...listOf(key), value as number]);
        return [f, key, value];
      }
      const list = listOf(key);
      return [f, key, list.length > 0 ? list : null];
    });

  node.on("txn", async (msg: Message) => {
    if (node.id === leader) return node.reply(msg, { type: "txn_ok", txn: run(msg.body.txn) });
    try {
      const answer = await node.rpc(leader, { type: "txn", txn: msg.body.txn }, { timeoutMs: 300 });
      node.reply(msg, { type: "txn_ok", txn: answer.body.txn });
    } catch (err: any) {
      if (err?.body) node.reply(msg, { type: "error", code: err.body.code, text: err.body.text });
      else node.reply(msg, { type: "error", code: 0, text: "the leader did not answer: the transaction may have run" });
    }
  });
}
