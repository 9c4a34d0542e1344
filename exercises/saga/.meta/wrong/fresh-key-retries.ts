// fails: idempotent
// Makes a new idempotency key on every attempt: a retry after a lost answer is a new charge to the service.
import type { Node, Message } from "clusterlab";

// An orchestrator that keeps each saga in node.storage ("saga/<order id>") and changes it one step at a
// time: it writes where the saga stands before it takes the next step, so a restarted node takes up every
// unfinished saga where it stood. Every request carries a key made of the order id and the request type,
// the same on every retry and after a crash, so a service that already did it answers without doing it
// again. A step that times out or is temporarily unavailable is retried until the service answers
// definitely; only a definite refusal (out of stock, declined) turns the saga round, and then the steps
// taken are undone last first.
interface Step {
  service: string;
  op: string;
  undo?: string;
}
const STEPS: Step[] = [
  { service: "orders", op: "create_order", undo: "cancel_order" },
  { service: "inventory", op: "reserve", undo: "release" },
  { service: "payment", op: "charge", undo: "refund" },
  { service: "orders", op: "approve_order" },
];

interface Saga {
  id: string;
  item: string;
  qty: number;
  amount: number;
  /** Forward: the next step to take. Compensating: the next step to undo (counting down). */
  phase: "forward" | "compensating" | "done";
  at: number;
}

export default function start(node: Node) {
  const running = new Set<string>();
  const save = (saga: Saga) => node.storage.set(`saga/${saga.id}`, saga);
  // Resolved through a `then`, so the simulator knows a continuation is waiting when the timer fires.
  const sleep = (ms: number) => new Promise<void>((resolve) => node.after(ms, () => void Promise.resolve().then(resolve)));

  /** Sends one request until the service answers definitely: true when done, false when refused. */
  async function perform(saga: Saga, service: string, op: string): Promise<boolean> {
    let attempt = 0;
    for (;;) {
      const body = { type: op, order_id: saga.id, item: saga.item, qty: saga.qty, amount: saga.amount, key: `${saga.id}:${op}:${++attempt}` };
      try {
        await node.rpc(service, body, { timeoutMs: 100 });
        return true;
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 14 || code === 22) return false;
        await sleep(20 + node.random() * 30);
      }
    }
  }

  async function drive(saga: Saga) {
    if (running.has(saga.id)) return;
    running.add(saga.id);
    while (saga.phase !== "done") {
      if (saga.phase === "forward") {
        const step = STEPS[saga.at]!;
        if (await perform(saga, step.service, step.op)) {
          saga.at++;
          if (saga.at === STEPS.length) saga.phase = "done";
        } else {
          // Refused: undo what was taken, starting with the step before this one.
          saga.phase = "compensating";
          saga.at--;
        }
      } else {
        const step = STEPS[saga.at];
        if (step === undefined) saga.phase = "done";
        else {
          if (step.undo) await perform(saga, step.service, step.undo);
          saga.at--;
        }
      }
      save(saga);
    }
    running.delete(saga.id);
  }

  node.on("place_order", (msg: Message) => {
    const { order_id: id, item, qty, amount } = msg.body;
    let saga: Saga | undefined = node.storage.get(`saga/${id}`);
    if (!saga) {
      saga = { id, item, qty, amount, phase: "forward", at: 0 };
      save(saga);
    }
    node.reply(msg, { type: "place_order_ok" });
    void drive(saga);
  });

  for (const key of node.storage.keys()) {
    const saga: Saga = node.storage.get(key)!;
    if (key.startsWith("saga/") && saga.phase !== "done") void drive(saga);
  }
}
