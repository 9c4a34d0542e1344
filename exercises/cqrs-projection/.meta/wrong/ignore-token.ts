// fails: read-your-writes
// Answers every read at once from whatever it has applied, ignoring min_version.
import type { Message, Node } from "clusterlab";

interface Event {
  seq: number;
  id: string;
  key: string;
  op: "add" | "write";
  value: number;
}

// n1, the write model: each command becomes one event, appended to node.storage under its seq before the
// client hears back. The log is the outbox: a relay re-sends, every 40 ms, the events each read model has
// not acknowledged, read from storage, so a crash between the append and the publish loses nothing.
// The read models apply events strictly in seq order, hold early ones, skip duplicates, and acknowledge
// how far they are; a read with min_version waits until the model has caught up.
export default function start(node: Node) {
  if (node.id === node.nodeIds[0]) writeModel(node);
  else readModel(node, node.nodeIds[0]!);
}

function writeModel(node: Node) {
  const key = (seq: number) => `e${seq}`;
  let head = node.storage.keys().filter((k) => /^e\d+$/.test(k)).length;
  // What each read model acknowledged; after a restart nobody has, and the first acks say.
  const acked = new Map<string, number>(node.peers.map((p) => [p, 0]));

  const append = (msg: Message, op: "add" | "write", value: number) => {
    const event: Event = { seq: head + 1, id: msg.body.id, key: msg.body.key, op, value };
    node.storage.set(key(event.seq), event);
    head = event.seq;
    node.reply(msg, { type: `${op}_ok`, version: event.seq });
  };
  node.on("add", (msg) => append(msg, "add", msg.body.delta));
  node.on("write", (msg) => append(msg, "write", msg.body.value));
  node.on("ack", (msg) => void acked.set(msg.src, msg.body.version));
  node.on("log", (msg) => {
    const events: Event[] = [];
    for (let s = 1; s <= head; s++) events.push(node.storage.get<Event>(key(s))!);
    node.reply(msg, { type: "log_ok", events });
  });
  node.every(40, () => {
    for (const [peer, version] of acked) {
      if (version >= head) continue;
      const events: Event[] = [];
      for (let s = version + 1; s <= Math.min(head, version + 50); s++) events.push(node.storage.get<Event>(key(s))!);
      node.send(peer, { type: "events", events });
    }
  });
}

function readModel(node: Node, writer: string) {
  const state: Record<string, number> = {};
  let version = 0;
  const early = new Map<number, Event>();

  node.on("events", (msg) => {
    for (const e of msg.body.events as Event[]) if (e.seq > version) early.set(e.seq, e);
    for (let e = early.get(version + 1); e; e = early.get(version + 1)) {
      early.delete(e.seq);
      state[e.key] = e.op === "add" ? (state[e.key] ?? 0) + e.value : e.value;
      version = e.seq;
    }
    node.send(writer, { type: "ack", version });
  });
  // A restarted read model starts empty: telling the writer so makes it re-send from the start.
  node.send(writer, { type: "ack", version });

  node.on("read", (msg) => {
    const want = 0;
    let waited = 0;
    const answer = () => {
      if (version >= want) return node.reply(msg, { type: "read_ok", value: { ...state }, version });
      if ((waited += 10) > 600) return node.reply(msg, { type: "error", code: 11, text: `at version ${version}, behind ${want}` });
      node.after(10, answer);
    };
    answer();
  });
}
