// fails: committed-visible
// The reference, except that replicas never ask the sequencer for entries they missed: the sequencer sends
// each entry once, and a replica that lost one (2% of messages are lost, a partition or a crash takes more)
// waits for it for ever. Nothing it answers is wrong, only older and older: its transactions that append
// abort, and after the heal it still shows lists without appends that committed long ago.
import type { Node, Message } from "clusterlab";

type Micro = [string, number, unknown];
type Append = [number, number];
interface Entry {
  index: number;
  appends: Append[];
}

const SYNC_BATCH = 200;

export default function start(node: Node) {
  const sequencer = node.nodeIds[0]!;
  const lists = new Map<number, number[]>();
  const lastWrite = new Map<number, number>();
  const early = new Map<number, Entry>();
  let applied = 0;

  const apply = (entry: Entry) => {
    for (const [key, value] of entry.appends) {
      let list = lists.get(key);
      if (!list) lists.set(key, (list = []));
      list.push(value);
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

  /** The sequencer's decision: an entry index, or null when a key read was appended to after the snapshot. */
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
    node.reply(msg, index === null ? { type: "error", code: 30, text: "a key read changed since the snapshot" } : { type: "commit_ok", index });
  });
  node.on("entry", (msg) => receive(msg.body.entry));
  node.on("entries", (msg) => {
    for (const entry of msg.body.entries as Entry[]) receive(entry);
  });
  node.on("sync", (msg) => {
    const entries: Entry[] = [];
    for (let i = msg.body.from; i <= applied && entries.length < SYNC_BATCH; i++) entries.push(node.storage.get<Entry>(`entry:${i}`)!);
    if (entries.length > 0) node.send(msg.src, { type: "entries", entries });
  });
  // BUG: no catch-up: a replica relies on the sequencer's one message per entry, which the network may lose.

  node.on("txn", async (msg: Message) => {
    const txn = msg.body.txn as Micro[];
    const snapshot = applied;
    const own = new Map<number, number[]>();
    const reads: number[] = [];
    const appends: Append[] = [];
    const result = txn.map(([f, key, value]): Micro => {
      if (f === "append") {
        own.set(key, [...(own.get(key) ?? []), value as number]);
        appends.push([key, value as number]);
        return [f, key, value];
      }
      reads.push(key);
      const list = [...(lists.get(key) ?? []), ...(own.get(key) ?? [])];
      return [f, key, list.length > 0 ? list : null];
    });
    if (appends.length === 0) return node.reply(msg, { type: "txn_ok", txn: result });
    if (node.id === sequencer) {
      const index = commit(snapshot, reads, appends);
      return node.reply(msg, index === null ? { type: "error", code: 30, text: "conflict" } : { type: "txn_ok", txn: result });
    }
    try {
      await node.rpc(sequencer, { type: "commit", snapshot, reads, appends }, { timeoutMs: 300 });
      node.reply(msg, { type: "txn_ok", txn: result });
    } catch (err: any) {
      // An error reply is the sequencer's decision; silence leaves the outcome unknown.
      if (err?.body) node.reply(msg, { type: "error", code: err.body.code, text: err.body.text });
      else node.reply(msg, { type: "error", code: 0, text: "the sequencer did not answer: the transaction may have committed" });
    }
  });
}
