import type { Message, Node } from "clusterlab";

interface Event {
  seq: number;
  id: string;
  key: string;
  op: "add" | "write";
  value: number;
}

// Pull instead of push: the log in node.storage is all the writer keeps, and each read model asks it every
// 20 ms for the events after its own version (the way a log consumer reads from an offset). Nothing has
// to be acknowledged or re-sent: a lost request or answer is simply asked again, and an answer holding
// events the model already has changes nothing.
export default function start(node: Node) {
  const writer = node.nodeIds[0]!;
  if (node.id === writer) {
    let head = node.storage.keys().filter((k) => k.startsWith("log/")).length;
    const append = (msg: Message, op: Event["op"], value: number) => {
      const event: Event = { seq: head + 1, id: msg.body.id, key: msg.body.key, op, value };
      node.storage.set(`log/${event.seq}`, event);
      head = event.seq;
      node.reply(msg, { type: `${op}_ok`, version: event.seq });
    };
    const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => node.storage.get<Event>(`log/${from + i + 1}`)!);
    node.on("add", (msg) => append(msg, "add", msg.body.delta));
    node.on("write", (msg) => append(msg, "write", msg.body.value));
    node.on("fetch", (msg) => node.reply(msg, { type: "fetch_ok", events: range(msg.body.from, Math.min(head, msg.body.from + 40)) }));
    node.on("log", (msg) => node.reply(msg, { type: "log_ok", events: range(0, head) }));
    return;
  }
  const state: Record<string, number> = {};
  let version = 0;
  // A round every 20 ms whether or not the last one was answered: a lost one costs 20 ms, not a timeout.
  node.every(20, async () => {
    try {
      const reply = await node.rpc(writer, { type: "fetch", from: version }, { timeoutMs: 200 });
      for (const e of reply.body.events as Event[]) {
        if (e.seq !== version + 1) continue;
        state[e.key] = e.op === "add" ? (state[e.key] ?? 0) + e.value : e.value;
        version = e.seq;
      }
    } catch {
      // Lost on the way, or the writer is down: a later round asks again.
    }
  });
  node.on("read", (msg) => {
    const want: number = msg.body.min_version ?? 0;
    const deadline = node.now() + 600;
    const answer = (): void => {
      if (version >= want) node.reply(msg, { type: "read_ok", value: { ...state }, version });
      else if (node.now() > deadline) node.reply(msg, { type: "error", code: 11, text: "projection behind the token" });
      else node.after(5, answer);
    };
    answer();
  });
}
