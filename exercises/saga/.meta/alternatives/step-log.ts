import type { Node } from "clusterlab";

// Each saga is a log in node.storage: "o/<id>" holds the order and a random nonce drawn once when the saga
// is accepted, and "o/<id>/<n>" one line per outcome ("done reserve", "refused charge", "undone reserve").
// Where a saga stands is read from its log, so a restarted node finds it there. The idempotency keys are
// the nonce plus the request type: random, but stored before the first request, so they never change.
const STEPS = [
  { service: "orders", op: "create_order", undo: "cancel_order" },
  { service: "inventory", op: "reserve", undo: "release" },
  { service: "payment", op: "charge", undo: "refund" },
  { service: "orders", op: "approve_order", undo: undefined },
];

interface Order {
  id: string;
  item: string;
  qty: number;
  amount: number;
  nonce: string;
}

export default function start(node: Node) {
  const active = new Set<string>();
  const wait = (ms: number) => new Promise<void>((resolve) => node.after(ms, () => void Promise.resolve().then(resolve)));

  const logOf = (id: string): string[] => {
    const lines: string[] = [];
    for (let n = 0; ; n++) {
      const line = node.storage.get<string>(`o/${id}/${n}`);
      if (line === undefined) return lines;
      lines.push(line);
    }
  };
  const append = (id: string, line: string) => node.storage.set(`o/${id}/${logOf(id).length}`, line);

  async function ask(order: Order, service: string, op: string): Promise<boolean> {
    for (;;) {
      try {
        await node.rpc(service, { type: op, order_id: order.id, item: order.item, qty: order.qty, amount: order.amount, key: `${order.nonce}-${op}` }, { timeoutMs: 90 });
        return true;
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 14 || code === 22) return false;
        await wait(25);
      }
    }
  }

  async function run(order: Order) {
    if (active.has(order.id)) return;
    active.add(order.id);
    for (;;) {
      const log = logOf(order.id);
      const done = log.filter((l) => l.startsWith("done ")).map((l) => l.slice(5));
      const undone = new Set(log.filter((l) => l.startsWith("undone ")).map((l) => l.slice(7)));
      const refused = log.some((l) => l.startsWith("refused "));
      if (!refused) {
        const step = STEPS[done.length];
        if (!step) break;
        append(order.id, (await ask(order, step.service, step.op)) ? `done ${step.op}` : `refused ${step.op}`);
        continue;
      }
      const toUndo = [...STEPS].reverse().find((s) => done.includes(s.op) && s.undo && !undone.has(s.op));
      if (!toUndo) break;
      await ask(order, toUndo.service, toUndo.undo!);
      append(order.id, `undone ${toUndo.op}`);
    }
    active.delete(order.id);
  }

  node.on("place_order", (msg) => {
    const id = msg.body.order_id;
    let order = node.storage.get<Order>(`o/${id}`);
    if (!order) {
      order = { id, item: msg.body.item, qty: msg.body.qty, amount: msg.body.amount, nonce: `${id}.${Math.floor(node.random() * 1e9)}` };
      node.storage.set(`o/${id}`, order);
    }
    node.reply(msg, { type: "place_order_ok" });
    void run(order);
  });

  for (const key of node.storage.keys()) {
    if (key.split("/").length === 2) void run(node.storage.get<Order>(key)!);
  }
}
