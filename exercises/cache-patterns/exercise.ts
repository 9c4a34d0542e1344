import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "cache-patterns";
const scenario = (name: string, pattern: string, options: Record<string, number> = {}, ratePerSec = 1000) =>
  componentScenario({ name, system, durationMs: 10_000, ratePerSec, options: { pattern, ...options } });

export default defineExercise({
  slug: "cache-patterns",
  title: "Cache patterns: aside, through, behind, ahead",
  lesson: "04-caching/02-cache-patterns",
  harness: "component",
  instructions: [
    "An application serves reads and writes of 10 000 keys (Zipf: a few are very popular) with a cache (1 ms) in front of a slow database (about 20 ms). You write its policy, once per pattern: export an object with four factories (`cacheAside`, `writeThrough`, `writeBehind`, `refreshAhead`), each returning a `CachePolicy`.",
    "",
    "For every read the system calls `read(key, ageMs)` (`ageMs` is the age of the cached entry, −1 when there is none) and does what you return: answer from the cache, read the database (and fill the cache), or answer from the cache and reload it in the background. For every write it calls `write(key)`: invalidate, write through, write behind (acknowledge at once; `tick()` names the keys to flush, every 100 ms) or write the database only. A read is stale when it returns a value older than a write already acknowledged; in the write-behind task the cache crashes and restarts empty, and acknowledged writes it had not flushed are lost (a read is then held only to the writes that survived).",
  ].join("\n"),
  // Budgets: each is set from the spread of the correct solutions (.meta/solution.ts and .meta/alternatives/:
  // update-on-write with XFetch refresh, popularity-based refresh) over seeds 1–30, with the wrong solution
  // it must stop beside it. Stale reads are judged in every task: any pattern can serve an old value.
  tasks: [
    {
      id: "cache-aside",
      title: "Cache-aside",
      description: "Fill on a miss, invalidate on a write: most reads from the cache, no stale reads.",
      scenarios: [scenario("cache-aside", "cacheAside")],
      checks: [
        // correct solutions: 0 stale reads over seeds 1–30; writes to the database alone: 43–46% of reads.
        { name: "stale-reads", params: { max: 0 } },
        // correct solutions: 61–72% over seeds 1–30 (invalidating 61–63%, updating 70–72%); no fill at all: 0%.
        { name: "hit-ratio", params: { min: 0.58 } },
      ],
    },
    {
      id: "write-through",
      title: "Write-through",
      description: "30% writes: keep the cache current on every write; no stale reads and a higher hit ratio than invalidating.",
      scenarios: [scenario("write-through", "writeThrough", { writeShare: 0.3 })],
      checks: [
        { name: "stale-reads", params: { max: 0 } },
        // correct solutions: 70.0–71.8% over seeds 1–30; invalidating instead: 45.7–46.9%.
        { name: "hit-ratio", params: { min: 0.65 } },
      ],
    },
    {
      id: "write-behind",
      title: "Write-behind",
      description: "2 000 operations/s, 30% writes: writes acknowledged in 5 ms (p99), without waiting for the database; the cache crashes at 5 s and may lose at most 60 keys' writes; and no read may return a value older than a write that survived.",
      scenarios: [scenario("write-behind", "writeBehind", { writeShare: 0.3, crashAtMs: 5000 }, 2000)],
      checks: [
        // correct solutions: 1 ms over seeds 1–30; waiting for the database: 62–67 ms.
        { name: "write-latency", params: { p99Max: 5 } },
        // correct solutions: 10–29 keys over seeds 1–30 (the last 100 ms of writes); a flush capped at 20 keys
        // per tick: 333–368, never flushing: 782–852.
        { name: "lost-writes", params: { max: 60 } },
        // correct solutions: 0 over seeds 1–30; reading dirty keys from the database: about 12% of reads.
        { name: "stale-reads", params: { max: 0 } },
      ],
    },
    {
      id: "refresh-ahead",
      title: "Refresh-ahead",
      description: "A 1 s time-to-live: once the cache is warm, reads of the 20 most popular keys must not wait for the database (p99 ≤ 5 ms), and no stale reads.",
      scenarios: [scenario("refresh-ahead", "refreshAhead", { ttlMs: 1000 })],
      checks: [
        // correct solutions: p99 1 ms over seeds 1–30; reloading only once an entry expired: 22–29 ms.
        { name: "hot-latency", params: { p99Max: 5 } },
        // correct solutions: 0 over seeds 1–30; writes to the database alone: about 20% of reads.
        { name: "stale-reads", params: { max: 0 } },
      ],
    },
  ],
  seeds: 10,
  hints: [
    "Cache-aside reads: \"cache\" when ageMs ≥ 0, else \"database\". Its writes: \"invalidate\". Writing the database only leaves the old value in the cache until it expires.",
    "Write-behind must remember which keys it acknowledged: keep a Set of dirty keys in write(), and return them all (comma-separated) from tick(), then clear it.",
    "Refresh-ahead: when a cached entry is close to its time-to-live (say older than half of it), answer \"cache+refresh\" so it is reloaded before any reader has to wait.",
  ],
});
