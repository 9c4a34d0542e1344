// fails: fifo
// Keeps arrival order but hands out any visible message: a group's next message goes out while the one before it is still being processed.
import type { Node, Message, Body } from "clusterlab";

// One broker node (the first id) holds the queue and the ledger; the others pass every request on to it
// and relay its answer. Everything the broker promises is in node.storage before it answers, each change
// in one write so that a crash between two writes cannot leave half of it:
// - "queue": the messages in arrival order, each with its delivery count and its lease (visible again at),
//   the ids ever sent (a retried send is acknowledged, not stored twice) and the dead-letter queue;
// - "ledger": the balances and the ids already applied, together: the dedupe record and the effect are one
//   write, so a redelivered message is answered apply_ok without being applied again.
// A receive hands out the oldest visible message whose group has nothing older left (per-group FIFO),
// after moving any message that was already delivered MAX times to the dead-letter queue.
const MAX_DELIVERIES = 3;

interface Item {
  id: string;
  group: string;
  payload: unknown;
  deliveries: number;
  /** Broker clock time when it may be delivered again (0: never delivered). */
  visibleAtMs: number;
  receipt: string;
}
interface QueueState {
  items: Item[];
  seen: string[];
  dlq: string[];
  receipts: number;
}
interface Ledger {
  balances: Record<string, number>;
  applied: string[];
}

export default function start(node: Node) {
  const broker = node.nodeIds[0]!;
  if (node.id !== broker) {
    const forward = async (msg: Message) => {
      try {
        const reply = await node.rpc(broker, msg.body, { timeoutMs: 200 });
        node.reply(msg, reply.body);
      } catch (err) {
        const e = err as { code?: number; body?: Body };
        // The broker's own refusal is relayed; a timeout leaves the outcome unknown (code 0).
        node.reply(msg, e.body ?? { type: "error", code: e.code ?? 0, text: "broker did not answer" });
      }
    };
    for (const type of ["send", "receive", "extend", "ack", "apply", "read_ledger", "read_dlq"]) node.on(type, forward);
    return;
  }

  const queue: QueueState = node.storage.get("queue") ?? { items: [], seen: [], dlq: [], receipts: 0 };
  const ledger: Ledger = node.storage.get("ledger") ?? { balances: {}, applied: [] };
  const seen = new Set(queue.seen);
  const applied = new Set(ledger.applied);
  const saveQueue = () => node.storage.set("queue", queue);

  node.on("send", (msg) => {
    const { id, group, payload } = msg.body;
    if (!seen.has(id)) {
      seen.add(id);
      queue.seen.push(id);
      queue.items.push({ id, group, payload, deliveries: 0, visibleAtMs: 0, receipt: "" });
      saveQueue();
    }
    node.reply(msg, { type: "send_ok" });
  });

  /** Moves the messages out of chances to the dead-letter queue once their last lease runs out. */
  const sweep = (now: number): boolean => {
    let moved = false;
    for (let i = 0; i < queue.items.length; i++) {
      const item = queue.items[i]!;
      if (item.deliveries >= MAX_DELIVERIES && item.visibleAtMs <= now) {
        queue.dlq.push(item.id);
        queue.items.splice(i--, 1);
        moved = true;
      }
    }
    return moved;
  };

  node.on("receive", (msg) => {
    const now = node.now();
    let changed = sweep(now);
    const blocked = new Set<string>();
    let chosen: Item | undefined;
    for (const item of queue.items) {
      if (item.visibleAtMs <= now) {
        chosen = item;
        break;
      }
    }
    if (chosen) {
      chosen.deliveries++;
      chosen.visibleAtMs = now + msg.body.visibility_ms;
      chosen.receipt = `${chosen.id}#${++queue.receipts}`;
      changed = true;
    }
    if (changed) saveQueue();
    if (!chosen) return node.reply(msg, { type: "receive_ok" });
    node.reply(msg, { type: "receive_ok", message: { id: chosen.id, receipt: chosen.receipt, payload: chosen.payload, deliveries: chosen.deliveries } });
  });

  node.on("extend", (msg) => {
    const item = queue.items.find((i) => i.id === msg.body.id);
    if (!item || item.receipt !== msg.body.receipt || item.visibleAtMs <= node.now()) {
      return node.reply(msg, { type: "error", code: 22, text: "receipt expired: the message may be with another consumer" });
    }
    item.visibleAtMs = node.now() + msg.body.visibility_ms;
    saveQueue();
    node.reply(msg, { type: "extend_ok" });
  });

  node.on("ack", (msg) => {
    const at = queue.items.findIndex((i) => i.id === msg.body.id);
    if (at >= 0) {
      queue.items.splice(at, 1);
      saveQueue();
    }
    node.reply(msg, { type: "ack_ok" });
  });

  node.on("apply", (msg) => {
    const { id, account, amount } = msg.body;
    if (!applied.has(id)) {
      applied.add(id);
      ledger.applied.push(id);
      ledger.balances[account] = (ledger.balances[account] ?? 0) + amount;
      node.storage.set("ledger", ledger);
    }
    node.reply(msg, { type: "apply_ok" });
  });

  node.on("read_ledger", (msg) => node.reply(msg, { type: "read_ledger_ok", balances: ledger.balances }));
  node.on("read_dlq", (msg) => {
    if (sweep(node.now())) saveQueue();
    node.reply(msg, { type: "read_dlq_ok", ids: queue.dlq });
  });
}
