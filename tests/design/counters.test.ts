// A cache's counters (Redis INCR with an expiry): a count per key that starts at 1, keeps the expiry it
// was created with, starts again once expired, and is no read (hit ratios count gets only).
import { describe, expect, it } from "vitest";
import { CacheModel } from "../../graders/design/cache-model.ts";

describe("cache counters", () => {
  it("count per key from 1, on every node, and are not reads", () => {
    const cache = new CacheModel(3, 1000);
    const counts = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const key = `k${i % 7}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      expect(cache.increment(key, i)).toBe(counts.get(key));
    }
    expect(cache.gets).toBe(0);
    expect(cache.get("k3", 600)).toBe(String(counts.get("k3")));
  });

  it("keep the expiry they were created with, then start again", () => {
    const cache = new CacheModel(1, 10);
    expect(cache.increment("w", 0, 1000)).toBe(1);
    expect(cache.increment("w", 900, 1000)).toBe(2);
    // The second increment did not push the expiry to 1900.
    expect(cache.increment("w", 1000, 1000)).toBe(1);
    expect(cache.increment("w", 1500)).toBe(2);
  });

  it("are lost with their node", () => {
    const cache = new CacheModel(1, 10);
    cache.increment("w", 0, 60_000);
    cache.increment("w", 1, 60_000);
    cache.loseNode(0);
    expect(cache.increment("w", 2, 60_000)).toBe(1);
  });
});
