import type { Node } from "clusterlab";

export default function start(node: Node) {
  const events: Array<{ id: string; kind: string; from?: string; lamport: number }> = [];
  let n = 0;
  const stamp = (kind: string, from?: string) => {
    // TODO: a timestamp that orders events causally (the wall clock is skewed and drifts)
    const event = { id: `${node.id}-${++n}`, kind, lamport: 0, ...(from ? { from } : {}) };
    events.push(event);
    return event;
  };
  node.on("local", (msg) => node.reply(msg, { type: "local_ok", event: stamp("local") }));
  node.on("send", (msg) => {
    const event = stamp("send");
    node.send(msg.body.dest, { type: "clock", send: event.id });
    node.reply(msg, { type: "send_ok", event });
  });
  node.on("clock", (msg) => {
    stamp("receive", msg.body.send);
  });
  node.on("read", (msg) => node.reply(msg, { type: "read_ok", events }));
  // TODO (task 2): vector clocks, and {type: "compare", a, b} → compare_ok {order}
}
