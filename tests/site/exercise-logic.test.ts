// The exercise panel's pure parts, checked without a browser: which messages a diagram window draws,
// how progress keeps the best result, and how load per node is counted.
import { describe, expect, it } from "vitest";
import type { TraceEntry } from "../../graders/index.ts";
import { defaultSpan, indexTrace, visibleMessages } from "../../src/scripts/exercise/diagram-window.ts";
import { withSubmission } from "../../src/scripts/exercise/progress-store.ts";
import { loadPerNode } from "../../src/scripts/exercise/figures.ts";

/** A trace in send order with varied flight times, some messages lost. */
function trace(n: number): TraceEntry[] {
  const out: TraceEntry[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += (i * 7919) % 13;
    const flight = 1 + ((i * 104729) % 97);
    const lost = i % 11 === 0;
    out.push({ src: `n${1 + (i % 5)}`, dest: `n${1 + ((i + 2) % 5)}`, type: "gossip", sendMs: t, fate: lost ? "lost" : "delivered", bytes: 20, ...(lost ? {} : { recvMs: t + flight }) });
  }
  return out;
}

describe("diagram window", () => {
  const messages = trace(5000);
  const indexed = indexTrace(messages);
  // What the window must hold, by brute force: every arrow that crosses [from, to].
  const crossing = (from: number, to: number) =>
    messages.flatMap((m, i) => (m.sendMs <= to && (m.recvMs ?? m.sendMs) >= from ? [i] : []));

  it("finds exactly the messages whose arrows cross the window, however long they flew", () => {
    for (const [from, to] of [[0, 50], [1000, 1200], [15_000, 15_400], [29_000, 40_000]] as const) {
      const { indices, total } = visibleMessages(indexed, from, to, 1_000_000);
      expect(indices).toEqual(crossing(from, to));
      expect(total).toBe(indices.length);
    }
  });

  it("spreads a capped selection evenly over the window and still counts them all", () => {
    const all = crossing(0, 20_000);
    const { indices, total } = visibleMessages(indexed, 0, 20_000, 100);
    expect(total).toBe(all.length);
    expect(indices).toHaveLength(100);
    expect(indices[0]).toBe(all[0]);
    expect(new Set(indices).size).toBe(100);
    expect(indices.every((i, k) => k === 0 || i > indices[k - 1]!)).toBe(true);
    expect(indices.at(-1)!).toBeGreaterThan(all[Math.floor(all.length * 0.95)]!);
  });

  it("chooses a window that shows about the target number of messages", () => {
    expect(defaultSpan(10_000, 10_000, [100, 200, 500, 1000, 5000], 250)).toBe(500);
    expect(defaultSpan(10, 10_000, [100, 200, 500, 1000, 5000], 250)).toBe(10_000);
    expect(defaultSpan(0, 0, [100], 250)).toBe(1);
  });
});

describe("progress", () => {
  it("keeps the best status ever reached and the last one", () => {
    const at = new Date("2026-11-24T10:00:00Z");
    let map = withSubmission({}, "echo", "fail", at);
    map = withSubmission(map, "echo", "pass", at);
    map = withSubmission(map, "echo", "error", new Date("2026-11-24T11:00:00Z"));
    expect(map.echo).toEqual({ best: "pass", last: "error", lastRunAt: "2026-11-24T11:00:00.000Z" });
    expect(withSubmission(map, "broadcast", "error", at).broadcast!.best).toBe("error");
  });
});

describe("load per node", () => {
  it("counts what each node sent and what reached it (a lost message loads only its sender)", () => {
    const messages = trace(10); // message 0 (n1 → n3) is lost
    const load = loadPerNode(messages, ["n1", "n2", "n3", "n4", "n5"]);
    expect([...load.values()].reduce((a, b) => a + b, 0)).toBe(10 + 9);
    expect(load.get("n1")).toBe(2 + 2); // sent messages 0 and 5, received 3 and 8 (from n4)
    expect(load.get("n3")).toBe(2 + 1); // sent 2 and 7, received 5 but not the lost 0
  });
});
