// fails: log-prefix
// Publishes each event on its own as it is appended (and re-sends the unacknowledged ones from the log),
// and the read models drop duplicates by event id but apply events in whatever order they arrive: a
// write that overtakes an earlier write to the same key is then undone by it, and for a while the state
// matches no prefix of the log.
import type { Message, Node } from "clusterlab";

interface Event {
  seq: number;
  id: string;
  key: string;
  op: "add" | "write";
  value: number;
}

export default function start(node: Node) {
  const writer = node.nodeIds[0]!;
  if (node.id === writer) {
    let head = node.storage.keys().filter((k) => k.startsWith("e")).length;
    const unacked = new Map<string, Set<number>>(node.peers.map((p) => [p, new Set()]));
    const publish = (seq: number) => {
      for (const [peer, pending] of unacked) {
        pending.add(seq);
        node.send(peer, { type: "event", event: node.storage.get(`e${seq}`) });
      }
    };
    for (let s = 1; s <= head; s++) publish(s);
    const append = (msg: Message, op: "add" | "write", value: number) => {
      const event: Event = { seq: head + 1, id: msg.body.id, key: msg.body.key, op, value };
      node.storage.set(`e${event.seq}`, event);
      head = event.seq;
      node.reply(msg, { type: `${op}_ok`, version: event.seq });
      publish(event.seq);
    };
    node.on("add", (msg) => append(msg, "add", msg.body.delta));
    node.on("write", (msg) => append(msg, "write", msg.body.value));
    node.on("ack", (msg) => void unacked.get(msg.src)?.delete(msg.body.seq));
    node.on("log", (msg) => {
      const events = [];
      for (let s = 1; s <= head; s++) events.push(node.storage.get(`e${s}`));
      node.reply(msg, { type: "log_ok", events });
    });
    node.every(40, () => {
      for (const [peer, pending] of unacked) for (const seq of pending) node.send(peer, { type: "event", event: node.storage.get(`e${seq}`) });
    });
  } else {
    const state: Record<string, number> = {};
    const applied = new Set<string>();
    node.on("event", (msg) => {
      const e = msg.body.event as Event;
      if (!applied.has(e.id)) {
        applied.add(e.id);
        state[e.key] = e.op === "add" ? (state[e.key] ?? 0) + e.value : e.value;
      }
      node.send(writer, { type: "ack", seq: e.seq });
    });
    node.on("read", (msg) => node.reply(msg, { type: "read_ok", value: { ...state }, version: applied.size }));
  }
}
