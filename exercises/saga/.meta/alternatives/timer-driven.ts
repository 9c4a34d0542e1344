import type { Node } from "clusterlab";

// No async functions: a tick every 20 ms moves every unfinished saga on. Each saga has at most one request
// out at a time; its answer (through then/catch) changes the saga and stores it, and the next tick sends
// the next request. A timeout or a busy service simply leaves the saga where it was, so the next tick
// sends the same request again, with the same key. The sagas live in node.storage, one key each.
const STEPS = [
  { service: "orders", op: "create_order", undo: "cancel_order" },
  { service: "inventory", op: "reserve", undo: "release" },
  { service: "payment", op: "charge", undo: "refund" },
  { service: "orders", op: "approve_order", undo: undefined },
];

interface Saga {
  id: string;
  item: string;
  qty: number;
  amount: number;
  /** 0…3 forward; then "undo" counting down; "done". */
  mode: "forward" | "undo" | "done";
  step: number;
}

export default function start(node: Node) {
  const sagas = new Map<string, Saga>();
  for (const key of node.storage.keys()) if (key.startsWith("s:")) sagas.set(key.slice(2), node.storage.get<Saga>(key)!);
  const out = new Set<string>();
  const store = (s: Saga) => node.storage.set(`s:${s.id}`, s);

  const request = (s: Saga, service: string, op: string, done: (ok: boolean) => void) => {
    out.add(s.id);
    node
      .rpc(service, { type: op, order_id: s.id, item: s.item, qty: s.qty, amount: s.amount, key: `${s.id}:${op}` }, { timeoutMs: 120 })
      .then(
        () => done(true),
        (err: { code?: number }) => {
          if (err.code === 14 || err.code === 22) done(false);
        },
      )
      .finally(() => out.delete(s.id));
  };

  node.every(20, () => {
    for (const s of sagas.values()) {
      if (s.mode === "done" || out.has(s.id)) continue;
      if (s.mode === "forward") {
        const step = STEPS[s.step]!;
        request(s, step.service, step.op, (ok) => {
          if (ok) s.step++;
          else {
            s.mode = "undo";
            s.step--;
          }
          if (s.step === STEPS.length || s.step < 0) s.mode = "done";
          store(s);
        });
      } else {
        const step = STEPS[s.step]!;
        const next = () => {
          s.step--;
          if (s.step < 0) s.mode = "done";
          store(s);
        };
        if (step.undo) request(s, step.service, step.undo, next);
        else next();
      }
    }
  });

  node.on("place_order", (msg) => {
    const id = msg.body.order_id;
    if (!sagas.has(id)) {
      const s: Saga = { id, item: msg.body.item, qty: msg.body.qty, amount: msg.body.amount, mode: "forward", step: 0 };
      store(s);
      sagas.set(id, s);
    }
    node.reply(msg, { type: "place_order_ok" });
  });
}
