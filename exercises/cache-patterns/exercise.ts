import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "cache-patterns";
const scenario = (name: string, pattern: string, options: Record<string, number> = {}) =>
  componentScenario({ name, system, durationMs: 10_000, ratePerSec: 1000, options: { pattern, ...options } });

export default defineExercise({
  slug: "cache-patterns",
  title: "Cache patterns: aside, through, behind, ahead",
  lesson: "04-caching/02-cache-patterns",
  harness: "component",
  instructions: [
    "An application serves reads and writes of 10 000 keys (Zipf: a few are very popular) with a cache (1 ms) in front of a slow database (about 20 ms). You write its policy, once per pattern: export an object with four factories (`cacheAside`, `writeThrough`, `writeBehind`, `refreshAhead`), each returning a `CachePolicy`.",
    "",
    "For every read the system calls `read(key, ageMs)` (`ageMs` is the age of the cached entry, −1 when there is none) and does what you return: answer from the cache, read the database (and fill the cache), or answer from the cache and reload it in the background. For every write it calls `write(key)`: invalidate, write through, write behind (acknowledge at once; `tick()` names the keys to flush, every 100 ms) or write the database only. A read is stale when it returns a value older than a write already acknowledged; in the write-behind task the cache node crashes, and acknowledged writes it had not flushed are lost.",
  ].join("\n"),
  tasks: [
    {
      id: "cache-aside",
      title: "Cache-aside",
      description: "Fill on a miss, invalidate on a write: most reads from the cache, no stale reads.",
      scenarios: [scenario("cache-aside", "cacheAside")],
      checks: [{ name: "stale-reads", params: { max: 0 } }, { name: "hit-ratio", params: { min: 0.6 } }],
    },
    {
      id: "write-through",
      title: "Write-through",
      description: "30% writes: keep the cache current on every write; no stale reads and a higher hit ratio than invalidating.",
      scenarios: [scenario("write-through", "writeThrough", { writeShare: 0.3 })],
      checks: [{ name: "stale-reads", params: { max: 0 } }, { name: "hit-ratio", params: { min: 0.7 } }],
    },
    {
      id: "write-behind",
      title: "Write-behind",
      description: "Writes acknowledged in 5 ms (p99), without waiting for the database; the cache node crashes at 5 s and may lose at most 60 keys' writes.",
      scenarios: [scenario("write-behind", "writeBehind", { writeShare: 0.3, crashAtMs: 5000 })],
      checks: [{ name: "write-latency", params: { p99Max: 5 } }, { name: "lost-writes", params: { max: 60 } }],
    },
    {
      id: "refresh-ahead",
      title: "Refresh-ahead",
      description: "A 1 s time-to-live: once the cache is warm, reads of the 20 most popular keys must not wait for the database (p99 ≤ 5 ms), and no stale reads.",
      scenarios: [scenario("refresh-ahead", "refreshAhead", { ttlMs: 1000 })],
      checks: [{ name: "hot-latency", params: { p99Max: 5 } }, { name: "stale-reads", params: { max: 0 } }],
    },
  ],
  seeds: 10,
  hints: [
    "Cache-aside reads: \"cache\" when ageMs ≥ 0, else \"database\". Its writes: \"invalidate\". Writing the database only leaves the old value in the cache until it expires.",
    "Write-behind must remember which keys it acknowledged: keep a Set of dirty keys in write(), and return them all (comma-separated) from tick(), then clear it.",
    "Refresh-ahead: when a cached entry is close to its time-to-live (say older than half of it), answer \"cache+refresh\" so it is reloaded before any reader has to wait.",
  ],
});
