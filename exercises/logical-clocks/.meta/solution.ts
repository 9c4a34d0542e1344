import type { Node } from "clusterlab";

type Vector = Record<string, number>;
interface ClockEvent {
  id: string;
  kind: "local" | "send" | "receive";
  from?: string;
  lamport: number;
  vector: Vector;
}

// One Lamport counter and one vector per node. Every event ticks both; a message carries the sender's
// stamps and the send's id, and its first arrival merges them (max, then tick). A duplicate is ignored.
export default function start(node: Node) {
  let lamport = 0;
  const vector: Vector = Object.fromEntries(node.nodeIds.map((id) => [id, 0]));
  const events: ClockEvent[] = [];
  const received = new Set<string>();
  let n = 0;

  const stamp = (kind: ClockEvent["kind"], from?: string): ClockEvent => {
    lamport++;
    vector[node.id]!++;
    const event: ClockEvent = { id: `${node.id}-${++n}`, kind, lamport, vector: { ...vector } };
    if (from) event.from = from;
    events.push(event);
    return event;
  };

  node.on("local", (msg) => node.reply(msg, { type: "local_ok", event: stamp("local") }));
  node.on("send", (msg) => {
    const event = stamp("send");
    node.send(msg.body.dest, { type: "clock", send: event.id, lamport: event.lamport, vector: event.vector });
    node.reply(msg, { type: "send_ok", event });
  });
  node.on("clock", (msg) => {
    const { send, lamport: theirs, vector: v } = msg.body as unknown as { send: string; lamport: number; vector: Vector };
    if (received.has(send)) return;
    received.add(send);
    lamport = Math.max(lamport, theirs);
    for (const [id, count] of Object.entries(v)) vector[id] = Math.max(vector[id] ?? 0, count);
    stamp("receive", send);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", events }));
  node.on("compare", (msg) => node.reply(msg, { type: "compare_ok", order: compare(msg.body.a.vector, msg.body.b.vector) }));
}

function compare(a: Vector, b: Vector): "before" | "after" | "concurrent" {
  let less = false;
  let more = false;
  for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[id] ?? 0;
    const y = b[id] ?? 0;
    if (x < y) less = true;
    if (x > y) more = true;
  }
  if (less && !more) return "before";
  if (more && !less) return "after";
  return "concurrent";
}
