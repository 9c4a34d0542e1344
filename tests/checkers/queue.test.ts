// The queue checks on hand-made histories, each rule both ways: a history that keeps it passes, the
// smallest history that breaks it fails with a message naming the message at fault.
import { describe, expect, it } from "vitest";
import { checkDeadLetter, checkDelivered, checkExactlyOnce, checkFifo, checkVisibility, queueFigures, queueFacts } from "../../graders/checkers/queue.ts";
import type { NodeRunData } from "../../graders/harness/node/run.ts";
import type { ClientEvent } from "../../graders/sim/history.ts";
import { clientEvents, nodeRun } from "../support/runs.ts";

/** A tiny history builder: each call appends one operation (invoke and completion) of one client. */
class H {
  events: ClientEvent[] = [];
  op(process: string, f: string, value: unknown, invokeMs: number, returnMs: number, outcome: "ok" | "fail" | "info" = "ok", output?: unknown, code?: number): this {
    this.events.push(...clientEvents({ process, f, value, output: output ?? value, outcome, invokeMs, returnMs, ...(code !== undefined ? { code } : {}) }));
    return this;
  }
  send(id: string, atMs: number, extra: Record<string, unknown> = {}) {
    return this.op("p1", "send", { id, account: "a1", amount: 5, ...extra }, atMs, atMs + 5);
  }
  receive(consumer: string, id: string | null, atMs: number, receipt = `${id}#${atMs}`, visibilityMs = 100) {
    return this.op(consumer, "receive", { visibilityMs }, atMs, atMs + 5, "ok", id === null ? null : { id, receipt });
  }
  extend(consumer: string, id: string, receipt: string, atMs: number, visibilityMs = 100, outcome: "ok" | "fail" = "ok") {
    return this.op(consumer, "extend", { id, receipt, visibilityMs }, atMs, atMs + 5, outcome, undefined, outcome === "fail" ? 22 : undefined);
  }
  apply(consumer: string, id: string, atMs: number, amount = 5) {
    return this.op(consumer, "apply", { id, account: "a1", amount }, atMs, atMs + 5);
  }
  ack(consumer: string, id: string, atMs: number, outcome: "ok" | "info" = "ok") {
    return this.op(consumer, "ack", { id, receipt: "r" }, atMs, atMs + 5, outcome, undefined, outcome === "info" ? 0 : undefined);
  }
  ledger(balances: Record<string, number>, atMs = 10_000) {
    return this.op("p1", "read_ledger", null, atMs, atMs + 5, "ok", { balances });
  }
  dlq(ids: string[], atMs = 10_010) {
    return this.op("p1", "read_dlq", null, atMs, atMs + 5, "ok", { ids });
  }
  run(): NodeRunData {
    return nodeRun({ history: this.events });
  }
}

/** A message sent, received, applied and acknowledged. */
const consumed = (h: H, id: string, atMs: number, consumer = "c1") => h.send(id, atMs).receive(consumer, id, atMs + 10).apply(consumer, id, atMs + 20).ack(consumer, id, atMs + 30);

describe("delivered", () => {
  it("passes when every acknowledged send was consumed and its effect is in the ledger, and reports the figures", () => {
    const h = consumed(consumed(new H(), "m1", 0), "m2", 100).ledger({ a1: 10 });
    const result = checkDelivered(h.run(), {});
    expect(result.ok).toBe(true);
    expect(result.metrics).toMatchObject({ messages: 2, queueDepthMax: 1, endToEndP50Ms: 35, redeliveries: 0 });
  });

  it("fails when a message delivered to a consumer that crashed never came back", () => {
    const h = consumed(new H(), "m1", 0).send("m2", 100).receive("c2", "m2", 110).ledger({ a1: 10 });
    const result = checkDelivered(h.run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/m2 .*delivered 1 time.*no consumer ever acknowledged it/);
  });

  it("fails when an acknowledged send was never delivered", () => {
    const result = checkDelivered(new H().send("m1", 0).ledger({}).run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/m1 .*never delivered/);
  });

  it("fails when the ledger misses an acknowledged message's effect", () => {
    const result = checkDelivered(consumed(new H(), "m1", 0).ledger({ a1: 0 }).run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/balance of a1 is 0.*add up to 5/);
  });

  it("counts an ack of unknown outcome as done: it may have deleted the message", () => {
    const h = new H().send("m1", 0).receive("c1", "m1", 10).apply("c1", "m1", 20).ack("c1", "m1", 30, "info").ledger({ a1: 5 });
    expect(checkDelivered(h.run(), {}).ok).toBe(true);
  });

  it("fails when a receive returns a message nobody sent", () => {
    const result = checkDelivered(consumed(new H(), "m1", 0).receive("c2", "ghost", 50).ledger({ a1: 5 }).run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/"ghost", which no producer sent/);
  });
});

describe("exactly-once", () => {
  it("passes when a redelivered message was applied twice but counted once", () => {
    const h = new H().send("m1", 0).receive("c1", "m1", 10).apply("c1", "m1", 20).receive("c2", "m1", 200).apply("c2", "m1", 210).ack("c2", "m1", 220).ledger({ a1: 5 });
    const result = checkExactlyOnce(h.run(), {});
    expect(result.ok).toBe(true);
    expect(result.metrics?.messagesAppliedTwice).toBe(1);
  });

  it("fails when the ledger counts a message twice", () => {
    const h = new H().send("m1", 0).receive("c1", "m1", 10).apply("c1", "m1", 20).receive("c2", "m1", 200).apply("c2", "m1", 210).ack("c2", "m1", 220).ledger({ a1: 10 });
    const result = checkExactlyOnce(h.run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/balance of a1 is 10.*add up to 5.*applied m1 more than once/);
  });

  it("allows the effect of a send of unknown outcome, but not more", () => {
    const base = () => consumed(new H(), "m1", 0).op("p1", "send", { id: "m2", account: "a1", amount: 3 }, 100, 400, "info", undefined, 0);
    expect(checkExactlyOnce(base().ledger({ a1: 8 }).run(), {}).ok).toBe(true);
    expect(checkExactlyOnce(base().ledger({ a1: 5 }).run(), {}).ok).toBe(true);
    expect(checkExactlyOnce(base().ledger({ a1: 11 }).run(), {}).ok).toBe(false);
  });
});

describe("visibility", () => {
  it("passes when a message comes back only after its timeout ran out, and reports the delay", () => {
    const h = new H().send("m1", 0).receive("c1", "m1", 10, "r1", 100).receive("c2", "m1", 120, "r2");
    const result = checkVisibility(h.run(), {});
    expect(result.ok).toBe(true);
    expect(result.metrics).toMatchObject({ redeliveries: 1, redeliveryDelayP50Ms: 15 });
  });

  it("fails when a message is handed out again while its timeout still runs", () => {
    const result = checkVisibility(new H().send("m1", 0).receive("c1", "m1", 10, "r1", 100).receive("c2", "m1", 50, "r2").run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/m1 was delivered to c1.*hidden until at least 110 ms.*delivered again to c2 at 55 ms/);
  });

  it("fails when an extended timeout is not honoured, and passes when it is", () => {
    const slow = () => new H().send("m1", 0).receive("c1", "m1", 10, "r1", 100).extend("c1", "m1", "r1", 80, 100);
    expect(checkVisibility(slow().receive("c2", "m1", 150, "r2").run(), {}).ok).toBe(false);
    expect(checkVisibility(slow().receive("c2", "m1", 190, "r2").run(), {}).ok).toBe(true);
  });

  it("fails when a receipt is extended after its message was delivered again", () => {
    const h = new H().send("m1", 0).receive("c1", "m1", 10, "r1", 100).receive("c2", "m1", 120, "r2").extend("c1", "m1", "r1", 130);
    const result = checkVisibility(h.run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/earlier receipt .* was still extended/);
  });

  it("allows a new copy once the message was acknowledged (a producer's retry)", () => {
    const h = consumed(new H(), "m1", 0).send("m1", 40).receive("c2", "m1", 50, "r2");
    expect(checkVisibility(h.run(), {}).ok).toBe(true);
  });
});

describe("dead-letter", () => {
  const poisoned = (deliveries: number) => {
    const h = new H().send("p", 0, { poison: true });
    for (let i = 0; i < deliveries; i++) h.receive(`c${i + 1}`, "p", 10 + i * 200, `p#${i}`);
    return h;
  };

  it("passes when a poison message is in the dead-letter queue after its deliveries", () => {
    expect(checkDeadLetter(poisoned(3).dlq(["p"]).run(), { maxDeliveries: 3 }).ok).toBe(true);
  });

  it("fails when a poison message is delivered more often than allowed", () => {
    const result = checkDeadLetter(poisoned(4).dlq(["p"]).run(), { maxDeliveries: 3 });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/delivered 4 times/);
  });

  it("fails when a poison message never reaches the dead-letter queue", () => {
    expect(checkDeadLetter(poisoned(3).dlq([]).run(), { maxDeliveries: 3 }).message).toMatch(/not in the dead-letter queue/);
  });

  it("fails when a message that can be processed is set aside early, unless a lost answer may have delivered it", () => {
    const early = () => poisoned(3).send("m1", 0).receive("c9", "m1", 20);
    expect(checkDeadLetter(early().dlq(["p", "m1"]).run(), { maxDeliveries: 3 }).message).toMatch(/m1 is in the dead-letter queue after only 1 deliveries/);
    const lost = early().op("c8", "receive", { visibilityMs: 100 }, 300, 700, "info", undefined, 0).op("c7", "receive", { visibilityMs: 100 }, 500, 900, "info", undefined, 0);
    expect(checkDeadLetter(lost.dlq(["p", "m1"]).run(), { maxDeliveries: 3 }).ok).toBe(true);
  });
});

describe("fifo", () => {
  const group = (h: H, id: string, seq: number, atMs: number) => h.send(id, atMs, { group: "g", seq });

  it("passes when each message of a group goes out after the one before it was acknowledged", () => {
    const h = group(group(new H(), "m1", 1, 0), "m2", 2, 5).receive("c1", "m1", 10).ack("c1", "m1", 30).receive("c2", "m2", 40);
    expect(checkFifo(h.run(), {})).toMatchObject({ ok: true, metrics: { orderedPairs: 1, groups: 1 } });
  });

  it("fails when a group's next message goes out while the one before is in flight", () => {
    const h = group(group(new H(), "m1", 1, 0), "m2", 2, 5).receive("c1", "m1", 10).receive("c2", "m2", 12).ack("c1", "m1", 30);
    const result = checkFifo(h.run(), {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/In group g, m2 \(#2\) was delivered to c2 at 17 ms while m1 \(#1\) was still being processed/);
  });

  it("lets a group go on after its head was dead-lettered", () => {
    const h = new H().send("m1", 0, { group: "g", seq: 1, poison: true }).send("m2", 5, { group: "g", seq: 2 });
    h.receive("c1", "m1", 10).receive("c1", "m1", 200).receive("c2", "m2", 400);
    expect(checkFifo(h.run(), {}).ok).toBe(true);
  });
});

describe("queue figures", () => {
  it("measures the deepest backlog and the time from send to ack", () => {
    const h = new H().send("m1", 0).send("m2", 10).send("m3", 20).receive("c1", "m1", 30).ack("c1", "m1", 40).receive("c1", "m2", 50).ack("c1", "m2", 60).receive("c1", "m3", 70).ack("c1", "m3", 80);
    const figures = queueFigures(queueFacts(h.run()));
    expect(figures).toMatchObject({ messages: 3, queueDepthMax: 3, endToEndP50Ms: 55 });
  });
});
