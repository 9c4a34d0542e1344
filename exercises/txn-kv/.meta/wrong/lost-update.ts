// fails: snapshot-isolation
// Read committed, no more: the sequencer commits every transaction it is asked to, with no check at all.
// Reads see only committed entries (a read that follows the transaction's own append of the key is made by
// the sequencer at the commit, so it shows the list as committed), but nothing stops two transactions that
// read the same list of a key from both appending to it: a lost update.
import type { Node, Message } from "clusterlab";

type Micro = [string, number, unknown];
type Append = [number, number];
interface Entry {
  index: number;
  appends: Append[];
}

export default function start(node: Node) {
  const sequencer = node.nodeIds[0]!;
  const lists = new Map<number, number[]>();
  const early = new Map<number, Entry>();
  let applied = 0;

  const apply = (entry: Entry) => {
    for (const [key, value] of entry.appends) {
      let list = lists.get(key);
      if (!list) lists.set(key, (list = []));
      list.push(value);
    }
    applied = entry.index;
  };
  const receive = (entry: Entry) => {
    if (entry.index <= applied) return;
    early.set(entry.index, entry);
    for (let next = early.get(applied + 1); next; next = early.get(applied + 1)) {
      early.delete(next.index);
      apply(next);
    }
  };
  if (node.id === sequencer) {
    const length = node.storage.get<number>("length") ?? 0;
    for (let i = 1; i <= length; i++) apply(node.storage.get<Entry>(`entry:${i}`)!);
  }

  /** Commits (always: BUG, no validation) and fills in the reads that follow the transaction's own appends. */
  const commit = (txn: Micro[]): Micro[] => {
    const appends = txn.filter(([f]) => f === "append").map(([, key, value]): Append => [key, value as number]);
    const before = new Map(appends.map(([key]) => [key, [...(lists.get(key) ?? [])]]));
    const entry: Entry = { index: applied + 1, appends };
    node.storage.set(`entry:${entry.index}`, entry);
    node.storage.set("length", entry.index);
    apply(entry);
    for (const peer of node.peers) node.send(peer, { type: "entry", entry });
    const mine = new Map<number, number[]>();
    return txn.map(([f, key, value]): Micro => {
      if (f === "append") {
        mine.set(key, [...(mine.get(key) ?? []), value as number]);
        return [f, key, value];
      }
      if (!mine.has(key)) return [f, key, value];
      return [f, key, [...before.get(key)!, ...mine.get(key)!]];
    });
  };

  node.on("commit", (msg) => node.reply(msg, { type: "commit_ok", txn: commit(msg.body.txn) }));
  node.on("entry", (msg) => receive(msg.body.entry));
  node.on("entries", (msg) => {
    for (const entry of msg.body.entries as Entry[]) receive(entry);
  });
  node.on("sync", (msg) => {
    const entries: Entry[] = [];
    for (let i = msg.body.from; i <= applied && entries.length < 200; i++) entries.push(node.storage.get<Entry>(`entry:${i}`)!);
    if (entries.length > 0) node.send(msg.src, { type: "entries", entries });
  });
  if (node.id !== sequencer) node.every(100, () => node.send(sequencer, { type: "sync", from: applied + 1 }));

  node.on("txn", async (msg: Message) => {
    const txn = msg.body.txn as Micro[];
    // Reads before the transaction's own appends of a key come from this replica: committed entries only.
    const appended = new Set<number>();
    const result = txn.map(([f, key, value]): Micro => {
      if (f === "append") {
        appended.add(key);
        return [f, key, value];
      }
      if (appended.has(key)) return [f, key, null]; // the sequencer fills it in
      const list = lists.get(key);
      return [f, key, list && list.length > 0 ? [...list] : null];
    });
    if (appended.size === 0) return node.reply(msg, { type: "txn_ok", txn: result });
    if (node.id === sequencer) return node.reply(msg, { type: "txn_ok", txn: commit(result) });
    try {
      const answer = await node.rpc(sequencer, { type: "commit", txn: result }, { timeoutMs: 300 });
      node.reply(msg, { type: "txn_ok", txn: answer.body.txn });
    } catch (err: any) {
      if (err?.body) node.reply(msg, { type: "error", code: err.body.code, text: err.body.text });
      else node.reply(msg, { type: "error", code: 0, text: "the sequencer did not answer: the transaction may have committed" });
    }
  });
}
