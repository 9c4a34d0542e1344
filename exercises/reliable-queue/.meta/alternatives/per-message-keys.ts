import type { Node, Message, Body } from "clusterlab";

// The broker (first id) keeps one storage key per message rather than one for the whole queue, so a change
// rewrites only that message: "m/<id>" while queued (with its arrival number), "a/<id>" once acknowledged
// and "d/<id>" once dead-lettered; the last two keep the id, so a late retried send is not queued again.
// Each account is one key holding its balance and the ids applied to it: the effect and its dedupe record
// in one write. On boot the broker rebuilds its index from node.storage.keys().
const MAX_DELIVERIES = 3;

interface Item {
  id: string;
  group: string;
  payload: unknown;
  order: number;
  deliveries: number;
  visibleAtMs: number;
  receipt: string;
}
interface Account {
  balance: number;
  applied: string[];
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

  const items = new Map<string, Item>();
  const finished = new Set<string>();
  const dead: string[] = [];
  let nextOrder = 0;
  let receipts = 0;
  for (const key of node.storage.keys()) {
    const id = key.slice(2);
    if (key.startsWith("a/")) finished.add(id);
    if (key.startsWith("d/")) {
      finished.add(id);
      dead.push(id);
    }
    if (key.startsWith("m/")) {
      const item = node.storage.get<Item>(key)!;
      items.set(id, item);
      nextOrder = Math.max(nextOrder, item.order + 1);
      receipts = Math.max(receipts, Number(item.receipt.split("#")[1] ?? 0));
    }
  }
  // A crash between writing a/ or d/ and deleting m/ leaves both: the later state wins.
  for (const id of finished) {
    if (items.delete(id)) node.storage.delete(`m/${id}`);
  }
  const ordered = () => [...items.values()].sort((a, b) => a.order - b.order);

  const sweep = (now: number) => {
    for (const item of ordered()) {
      if (item.deliveries < MAX_DELIVERIES || item.visibleAtMs > now) continue;
      node.storage.set(`d/${item.id}`, true);
      node.storage.delete(`m/${item.id}`);
      items.delete(item.id);
      finished.add(item.id);
      dead.push(item.id);
    }
  };

  node.on("send", (msg) => {
    const { id, group, payload } = msg.body;
    if (!items.has(id) && !finished.has(id)) {
      const item: Item = { id, group, payload, order: nextOrder++, deliveries: 0, visibleAtMs: 0, receipt: "" };
      node.storage.set(`m/${id}`, item);
      items.set(id, item);
    }
    node.reply(msg, { type: "send_ok" });
  });

  node.on("receive", (msg) => {
    const now = node.now();
    sweep(now);
    const heads = new Set<string>();
    for (const item of ordered()) {
      if (heads.has(item.group)) continue;
      heads.add(item.group);
      if (item.visibleAtMs > now) continue;
      item.deliveries++;
      item.visibleAtMs = now + msg.body.visibility_ms;
      item.receipt = `${item.id}#${++receipts}`;
      node.storage.set(`m/${item.id}`, item);
      return node.reply(msg, { type: "receive_ok", message: { id: item.id, receipt: item.receipt, payload: item.payload } });
    }
    node.reply(msg, { type: "receive_ok" });
  });

  node.on("extend", (msg) => {
    const item = items.get(msg.body.id);
    if (!item || item.receipt !== msg.body.receipt || item.visibleAtMs <= node.now()) return node.reply(msg, { type: "error", code: 22, text: "receipt expired" });
    item.visibleAtMs = node.now() + msg.body.visibility_ms;
    node.storage.set(`m/${item.id}`, item);
    node.reply(msg, { type: "extend_ok" });
  });

  node.on("ack", (msg) => {
    const id = msg.body.id;
    if (items.has(id)) {
      node.storage.set(`a/${id}`, true);
      node.storage.delete(`m/${id}`);
      items.delete(id);
      finished.add(id);
    }
    node.reply(msg, { type: "ack_ok" });
  });

  node.on("apply", (msg) => {
    const { id, account, amount } = msg.body;
    const key = `l/${account}`;
    const state = node.storage.get<Account>(key) ?? { balance: 0, applied: [] };
    if (!state.applied.includes(id)) node.storage.set(key, { balance: state.balance + amount, applied: [...state.applied, id] });
    node.reply(msg, { type: "apply_ok" });
  });

  node.on("read_ledger", (msg) => {
    const balances: Record<string, number> = {};
    for (const key of node.storage.keys()) if (key.startsWith("l/")) balances[key.slice(2)] = node.storage.get<Account>(key)!.balance;
    node.reply(msg, { type: "read_ledger_ok", balances });
  });

  node.on("read_dlq", (msg) => {
    sweep(node.now());
    node.reply(msg, { type: "read_dlq_ok", ids: dead });
  });
}
