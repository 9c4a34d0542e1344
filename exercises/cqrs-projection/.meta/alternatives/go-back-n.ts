import type { Message, Node } from "clusterlab";

interface Event {
  seq: number;
  id: string;
  key: string;
  op: "add" | "write";
  value: number;
}

// Go-back-N: a read model takes only the next event in seq order and drops anything early, and keeps
// its state and version in node.storage, so a restart resumes where it was instead of replaying the log.
// The writer re-sends from each model's acknowledged version, on every acknowledgement that shows a
// gap and every 50 ms.
export default function start(node: Node) {
  const writer = node.nodeIds[0]!;
  node.id === writer ? writeSide(node) : readSide(node, writer);
}

function writeSide(node: Node) {
  const log: Event[] = node.storage.get<Event[]>("log") ?? [];
  // Unknown after a restart: 0 makes the first round re-send from the start, and the acks correct it.
  const position = new Map(node.peers.map((p) => [p, 0]));
  const push = (peer: string) => {
    const from = position.get(peer)!;
    if (from < log.length) node.send(peer, { type: "events", events: log.slice(from, from + 30) });
  };
  const append = (msg: Message, op: Event["op"], value: number) => {
    const event: Event = { seq: log.length + 1, id: msg.body.id, key: msg.body.key, op, value };
    // One write holds the whole log: the event and the log it extends are stored together or not at all.
    node.storage.set("log", [...log, event]);
    log.push(event);
    node.reply(msg, { type: `${op}_ok`, version: event.seq });
  };
  node.on("add", (msg) => append(msg, "add", msg.body.delta));
  node.on("write", (msg) => append(msg, "write", msg.body.value));
  node.on("applied", (msg) => {
    position.set(msg.src, msg.body.version);
    push(msg.src);
  });
  node.on("log", (msg) => node.reply(msg, { type: "log_ok", events: log }));
  node.every(50, () => node.peers.forEach(push));
}

function readSide(node: Node, writer: string) {
  const saved = node.storage.get<{ state: Record<string, number>; version: number }>("projection");
  const state = saved?.state ?? {};
  let version = saved?.version ?? 0;
  node.on("events", (msg) => {
    const before = version;
    for (const e of msg.body.events as Event[]) {
      if (e.seq !== version + 1) continue;
      state[e.key] = e.op === "add" ? (state[e.key] ?? 0) + e.value : e.value;
      version = e.seq;
    }
    if (version > before) node.storage.set("projection", { state, version });
    node.send(writer, { type: "applied", version });
  });
  node.send(writer, { type: "applied", version });
  node.on("read", (msg) => {
    const want: number = msg.body.min_version ?? 0;
    let tries = 0;
    const answer = (): void => {
      if (version >= want) node.reply(msg, { type: "read_ok", value: { ...state }, version });
      else if (++tries > 100) node.reply(msg, { type: "error", code: 11, text: "projection behind the token" });
      else node.after(6, answer);
    };
    answer();
  });
}
