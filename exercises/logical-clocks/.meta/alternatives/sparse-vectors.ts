import type { Node } from "clusterlab";

// Vector clocks kept sparse (an entry only for nodes this one has heard from), and the Lamport timestamp
// derived from the vector: its sum grows by at least one along every causal step, which is all that
// Lamport's condition asks. A duplicate is known by the send's id.
type Vector = Record<string, number>;

export default function start(node: Node) {
  const clock: Vector = {};
  const events: unknown[] = [];
  const received = new Set<string>();
  const sum = (v: Vector) => Object.values(v).reduce((s, n) => s + n, 0);
  const stamp = (kind: string, from?: string) => {
    clock[node.id] = (clock[node.id] ?? 0) + 1;
    const vector = { ...clock };
    const event = { id: `${node.id}@${clock[node.id]}`, kind, lamport: sum(vector), vector, ...(from ? { from } : {}) };
    events.push(event);
    return event;
  };
  node.on("local", (msg) => node.reply(msg, { type: "local_ok", event: stamp("local") }));
  node.on("send", (msg) => {
    const event = stamp("send");
    node.send(msg.body.dest, { type: "vc", event: event.id, clock: event.vector });
    node.reply(msg, { type: "send_ok", event });
  });
  node.on("vc", (msg) => {
    const theirs = msg.body.clock as Vector;
    if (received.has(msg.body.event)) return;
    received.add(msg.body.event);
    for (const [id, n] of Object.entries(theirs)) if (n > (clock[id] ?? 0)) clock[id] = n;
    stamp("receive", msg.body.event);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", events }));
  node.on("compare", (msg) => {
    const a = msg.body.a.vector as Vector;
    const b = msg.body.b.vector as Vector;
    const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
    const aFirst = [...ids].every((id) => (a[id] ?? 0) <= (b[id] ?? 0));
    const bFirst = [...ids].every((id) => (b[id] ?? 0) <= (a[id] ?? 0));
    node.reply(msg, { type: "compare_ok", order: aFirst && !bFirst ? "before" : bFirst && !aFirst ? "after" : "concurrent" });
  });
}
