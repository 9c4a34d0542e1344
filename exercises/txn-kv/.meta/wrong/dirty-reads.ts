// fails: read-committed
// Read uncommitted: a node appends a transaction's values to its lists while the transaction runs, before
// the sequencer has decided, and takes them out again if it aborts. Meanwhile other transactions on the node
// read them (an aborted read when it then aborts), and the node's lists hold its own appends in another place
// than the sequencer's order puts them.
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
  const lastWrite = new Map<number, number>();
  const early = new Map<number, Entry>();
  let applied = 0;
  const listOf = (key: number) => {
    let list = lists.get(key);
    if (!list) lists.set(key, (list = []));
    return list;
  };

  const apply = (entry: Entry) => {
    for (const [key, value] of entry.appends) {
      const list = listOf(key);
      if (!list.includes(value)) list.push(value); // already there when this node ran the transaction
      lastWrite.set(key, entry.index);
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
  const commit = (snapshot: number, reads: number[], appends: Append[]): number | null => {
    if (reads.some((key) => (lastWrite.get(key) ?? 0) > snapshot)) return null;
    const entry: Entry = { index: applied + 1, appends };
    node.storage.set(`entry:${entry.index}`, entry);
    node.storage.set("length", entry.index);
    apply(entry);
    for (const peer of node.peers) node.send(peer, { type: "entry", entry });
    return entry.index;
  };
  node.on("commit", (msg) => {
    const index = commit(msg.body.snapshot, msg.body.reads, msg.body.appends);
    node.reply(msg, index === null ? { type: "error", code: 30, text: "conflict" } : { type: "commit_ok", index });
  });
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
    const snapshot = applied;
    const reads: number[] = [];
    const appends: Append[] = [];
    const result = txn.map(([f, key, value]): Micro => {
      if (f === "append") {
        listOf(key).push(value as number); // BUG: visible to every transaction on this node from now on
        appends.push([key, value as number]);
        return [f, key, value];
      }
      reads.push(key);
      const list = listOf(key);
      return [f, key, list.length > 0 ? [...list] : null];
    });
    const undo = () => {
      for (const [key, value] of appends) lists.set(key, listOf(key).filter((v) => v !== value));
    };
    if (appends.length === 0) return node.reply(msg, { type: "txn_ok", txn: result });
    if (node.id === sequencer) {
      const index = commit(snapshot, reads, appends);
      if (index === null) undo();
      return node.reply(msg, index === null ? { type: "error", code: 30, text: "conflict" } : { type: "txn_ok", txn: result });
    }
    try {
      await node.rpc(sequencer, { type: "commit", snapshot, reads, appends }, { timeoutMs: 300 });
      node.reply(msg, { type: "txn_ok", txn: result });
    } catch (err: any) {
      undo();
      if (err?.body) node.reply(msg, { type: "error", code: err.body.code, text: err.body.text });
      else node.reply(msg, { type: "error", code: 0, text: "the sequencer did not answer" });
    }
  });
}
