// The server core both engines share (sim/requests/slot-queue.ts): slots, a bounded FIFO counted in real
// jobs, and a crash that hands back the waiting jobs in order.
import { describe, expect, it } from "vitest";
import { SlotQueue } from "../../graders/sim/requests/slot-queue.ts";

describe("SlotQueue", () => {
  it("starts jobs while slots are free, queues up to queueMax, then refuses", () => {
    const q = new SlotQueue<string>(2, 2);
    expect(["a", "b", "c", "d", "e"].map((j) => q.admit(j))).toEqual(["started", "started", "queued", "queued", "full"]);
    expect([q.busy, q.queued, q.refused]).toEqual([2, 2, 1]);
    // No slot is free: nothing leaves the queue until one is released.
    expect(q.next()).toBeUndefined();
    q.release();
    expect(q.next()).toBe("c");
    expect([q.busy, q.queued]).toEqual([2, 1]);
  });

  it("counts each queued job as `weight` real ones against the bound", () => {
    const q = new SlotQueue<number>(1, 100, 40);
    expect([1, 2, 3, 4, 5].map((j) => q.admit(j))).toEqual(["started", "queued", "queued", "queued", "full"]);
  });

  it("crashes once: the waiting jobs come back in order, slots are free, gen moves, and a down queue refuses", () => {
    const q = new SlotQueue<number>(1, 10);
    for (const j of [1, 2, 3]) q.admit(j);
    expect(q.crash()).toEqual([2, 3]);
    expect([q.up, q.gen, q.busy, q.queued]).toEqual([false, 1, 0, 0]);
    expect(q.crash()).toEqual([]);
    expect(q.gen).toBe(1);
    expect(q.admit(4)).toBe("down");
    q.recover();
    expect(q.admit(5)).toBe("started");
  });

  it("stays FIFO across the compaction of a long queue", () => {
    const q = new SlotQueue<number>(1, 10_000);
    q.admit(-1);
    for (let j = 0; j < 5000; j++) q.admit(j);
    const order: number[] = [];
    for (let j = 0; j < 5000; j++) {
      q.release();
      order.push(q.next()!);
    }
    expect(order).toEqual(Array.from({ length: 5000 }, (_, j) => j));
  });
});
