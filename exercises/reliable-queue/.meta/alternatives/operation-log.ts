import type { Node, Message, Body } from "clusterlab";

// The broker (first id) is a state machine over a write-ahead log: every change is one entry appended to
// node.storage ("log/<n>") before it is answered, and a restarted broker replays the log to rebuild its
// state. An entry records the outcome, not the request (a delivery stores its receipt and deadline), so
// replaying it never consults the clock. One entry is one write, so a crash never leaves half a change.
const MAX_DELIVERIES = 3;

type Entry =
  | { t: "send"; id: string; group: string; payload: unknown }
  | { t: "deliver"; id: string; receipt: string; visibleAtMs: number }
  | { t: "extend"; id: string; visibleAtMs: number }
  | { t: "ack"; id: string }
  | { t: "dead"; id: string }
  | { t: "apply"; id: string; account: string; amount: number };

interface Item {
  id: string;
  group: string;
  payload: unknown;
  deliveries: number;
  visibleAtMs: number;
  receipt: string;
}

export default function start(node: Node) {
  const broker = node.nodeIds[0]!;
  if (node.id !== broker) {
    const forward = async (msg: Message) => {
      try {
        node.reply(msg, (await node.rpc(broker, msg.body, { timeoutMs: 200 })).body);
      } catch (err) {
        const e = err as { code?: number; body?: Body };
        node.reply(msg, e.body ?? { type: "error", code: e.code ?? 0, text: "broker did not answer" });
      }
    };
    for (const type of ["send", "receive", "extend", "ack", "apply", "read_ledger", "read_dlq"]) node.on(type, forward);
    return;
  }

  const queue: Item[] = [];
  const known = new Set<string>();
  const dead: string[] = [];
  const applied = new Set<string>();
  const balances: Record<string, number> = {};
  let receipts = 0;

  const apply = (e: Entry) => {
    const at = queue.findIndex((i) => i.id === (e as { id: string }).id);
    switch (e.t) {
      case "send":
        known.add(e.id);
        queue.push({ id: e.id, group: e.group, payload: e.payload, deliveries: 0, visibleAtMs: 0, receipt: "" });
        break;
      case "deliver":
        queue[at]!.deliveries++;
        queue[at]!.visibleAtMs = e.visibleAtMs;
        queue[at]!.receipt = e.receipt;
        receipts++;
        break;
      case "extend":
        queue[at]!.visibleAtMs = e.visibleAtMs;
        break;
      case "ack":
        queue.splice(at, 1);
        break;
      case "dead":
        queue.splice(at, 1);
        dead.push(e.id);
        break;
      case "apply":
        applied.add(e.id);
        balances[e.account] = (balances[e.account] ?? 0) + e.amount;
        break;
    }
  };
  let length = 0;
  for (let e = node.storage.get<Entry>(`log/${length}`); e !== undefined; e = node.storage.get<Entry>(`log/${length}`)) {
    apply(e);
    length++;
  }
  const append = (e: Entry) => {
    node.storage.set(`log/${length++}`, e);
    apply(e);
  };
  const sweep = (now: number) => {
    for (const item of queue.filter((i) => i.deliveries >= MAX_DELIVERIES && i.visibleAtMs <= now)) append({ t: "dead", id: item.id });
  };

  node.on("send", (msg) => {
    if (!known.has(msg.body.id)) append({ t: "send", id: msg.body.id, group: msg.body.group, payload: msg.body.payload });
    node.reply(msg, { type: "send_ok" });
  });

  node.on("receive", (msg) => {
    const now = node.now();
    sweep(now);
    const heads = new Set<string>();
    for (const item of queue) {
      if (heads.has(item.group)) continue;
      heads.add(item.group);
      if (item.visibleAtMs > now) continue;
      append({ t: "deliver", id: item.id, receipt: `${item.id}#${receipts + 1}`, visibleAtMs: now + msg.body.visibility_ms });
      return node.reply(msg, { type: "receive_ok", message: { id: item.id, receipt: item.receipt, payload: item.payload } });
    }
    node.reply(msg, { type: "receive_ok" });
  });

  node.on("extend", (msg) => {
    const item = queue.find((i) => i.id === msg.body.id);
    if (!item || item.receipt !== msg.body.receipt || item.visibleAtMs <= node.now()) return node.reply(msg, { type: "error", code: 22, text: "receipt expired" });
    append({ t: "extend", id: item.id, visibleAtMs: node.now() + msg.body.visibility_ms });
    node.reply(msg, { type: "extend_ok" });
  });

  node.on("ack", (msg) => {
    if (queue.some((i) => i.id === msg.body.id)) append({ t: "ack", id: msg.body.id });
    node.reply(msg, { type: "ack_ok" });
  });

  node.on("apply", (msg) => {
    if (!applied.has(msg.body.id)) append({ t: "apply", id: msg.body.id, account: msg.body.account, amount: msg.body.amount });
    node.reply(msg, { type: "apply_ok" });
  });

  node.on("read_ledger", (msg) => node.reply(msg, { type: "read_ledger_ok", balances }));
  node.on("read_dlq", (msg) => {
    sweep(node.now());
    node.reply(msg, { type: "read_dlq_ok", ids: dead });
  });
}
