import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "lru-cache";

export default defineExercise({
  slug: "lru-cache",
  title: "LRU cache: O(1) within a memory budget",
  lesson: "04-caching/01-where-caches-live",
  harness: "component",
  instructions: [
    "Write a least-recently-used cache. Default-export a factory that takes the capacity (a number of entries) and returns a `Cache` with `get(key)` (the value, or `undefined` on a miss) and `put(key, value)`. A get that finds its key and every put count as a use of the key; when a put of a new key would take the cache over its capacity, evict the entry used longest ago. A put of a key already cached replaces its value and evicts nothing.",
    "",
    "A client sits in front of your cache: it reads keys drawn from a Zipf distribution (skew 0.99: a few keys are very popular, most are rare) and on a miss fetches the value and puts it; one operation in ten is a write, which puts a new value at once, so later gets must return it. Every correct LRU makes the same choice on every operation, so the grader simulates an exact LRU of the same capacity on the same operations and compares your cache with it read by read (the optimum, which evicts the key needed furthest in the future, is shown beside it). After the operations it reads back the most recently used keys: no more than the capacity may still be there. The last task times it: with 10 000 entries, each operation must take a few microseconds, not a scan.",
  ].join("\n"),
  tasks: [
    {
      id: "lru",
      title: "Least recently used",
      description: "Capacity 1000, 30 000 operations on 50 000 keys: read for read the hits of an exact LRU, and never more entries than the capacity.",
      scenarios: [componentScenario({ name: "capacity-1000", system, durationMs: 1, options: { capacity: 1000, keys: 50_000, ops: 30_000 } })],
      // No budget on hit-ratio or memory: an exact LRU's choices are fixed, so a correct cache matches it on
      // every read (the reference and both alternatives do, seeds 1–30) and holds exactly its capacity of
      // the keys read back; one entry too many shows as capacity + 1 of them.
      checks: [{ name: "memory" }, { name: "hit-ratio" }],
    },
    {
      id: "small-and-large",
      title: "Tiny and large budgets",
      description: "Capacity 10 and capacity 10 000: the same rules at both ends (above 4096 entries a pool sized for 'plenty' runs out).",
      scenarios: [
        componentScenario({ name: "capacity-10", system, durationMs: 1, options: { capacity: 10, keys: 1000, ops: 20_000 } }),
        componentScenario({ name: "capacity-10000", system, durationMs: 1, options: { capacity: 10_000, keys: 100_000, ops: 40_000 } }),
      ],
      checks: [{ name: "memory" }, { name: "hit-ratio" }],
    },
    {
      id: "speed",
      title: "O(1)",
      description: "10 000 entries, filled first, then 50 000 timed operations: at most 20 µs per call, the calls into the sandbox included (an O(1) cache takes 0.4 to 5; a scan of the entries, 29 or more).",
      scenarios: [componentScenario({ name: "timed-10000", system, durationMs: 1, options: { capacity: 10_000, keys: 100_000, ops: 50_000, timed: 10_000 } })],
      checks: [
        { name: "memory" },
        { name: "hit-ratio" },
        // speed, the median of 13 timed blocks: correct 0.39–5.35 µs per call over seeds 1–30 (reference
        // 1.33–5.35, linked list 0.39–1.16, slot arrays 0.39–4.69) on two cores shared with other work (load
        // 7–10); a scan of the entries 28.9–204 µs on the same machine.
        { name: "speed", params: { maxUs: 20 } },
      ],
    },
  ],
  seeds: 10,
  hints: [
    "A Map finds a key in O(1). What you also need is the order of use, with O(1) moves to the most recent end and O(1) removal of the oldest.",
    "A JavaScript Map iterates in insertion order: deleting a key and setting it again moves it to the end, and `map.keys().next().value` is the oldest key. Setting a key that is already there keeps its old place, so delete it first.",
    "In put, a key already cached gets its new value and becomes the most recent, and nothing is evicted; only a new key into a full cache evicts the oldest entry, before it goes in.",
  ],
});
