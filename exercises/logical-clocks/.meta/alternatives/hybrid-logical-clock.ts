import type { Node } from "clusterlab";

// A hybrid logical clock (l, c) for the "lamport" field: l follows the largest wall-clock reading seen,
// c breaks ties. (l, c) grows along every causal chain whatever the clocks' skew, and stays close to real
// time; it is reported as one number, l × 10⁶ + c. Vectors are kept as node-indexed arrays.
export default function start(node: Node) {
  const me = node.nodeIds.indexOf(node.id);
  let l = -Infinity;
  let c = 0;
  const vector = node.nodeIds.map(() => 0);
  const events: unknown[] = [];
  const seen = new Set<string>();
  let n = 0;

  /** Hybrid logical clock update: on a local event or send without `ml`, on a receive with the message's (l, c). */
  const advance = (ml = -Infinity, mc = 0) => {
    const pt = Math.floor(node.now());
    const top = Math.max(l, pt, ml);
    if (top === l && top === ml) c = Math.max(c, mc) + 1;
    else if (top === l) c++;
    else if (top === ml) c = mc + 1;
    else c = 0;
    l = top;
  };
  const stamp = (kind: string, from?: string) => {
    vector[me]!++;
    const event = { id: `${node.id}.${++n}`, kind, lamport: l * 1e6 + c, vector: Object.fromEntries(node.nodeIds.map((id, i) => [id, vector[i]!])), ...(from ? { from } : {}) };
    events.push(event);
    return event;
  };

  node.on("local", (msg) => {
    advance();
    node.reply(msg, { type: "local_ok", event: stamp("local") });
  });
  node.on("send", (msg) => {
    advance();
    const event = stamp("send");
    node.send(msg.body.dest, { type: "stamp", id: event.id, l, c, v: [...vector] });
    node.reply(msg, { type: "send_ok", event });
  });
  node.on("stamp", (msg) => {
    if (seen.has(msg.body.id)) return;
    seen.add(msg.body.id);
    advance(msg.body.l, msg.body.c);
    (msg.body.v as number[]).forEach((x, i) => (vector[i] = Math.max(vector[i]!, x)));
    stamp("receive", msg.body.id);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", events }));
  node.on("compare", (msg) => {
    const a = node.nodeIds.map((id) => msg.body.a.vector[id] ?? 0);
    const b = node.nodeIds.map((id) => msg.body.b.vector[id] ?? 0);
    const le = a.every((x, i) => x <= b[i]!);
    const ge = a.every((x, i) => x >= b[i]!);
    node.reply(msg, { type: "compare_ok", order: le && !ge ? "before" : ge && !le ? "after" : "concurrent" });
  });
}
