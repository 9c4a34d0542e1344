import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "lru-cache";

export default defineExercise({
  slug: "lru-cache",
  title: "LRU cache: O(1) within a memory budget",
  lesson: "04-caching/01-where-caches-live",
  harness: "component",
  instructions: [
    "Write a least-recently-used cache. Default-export a factory that takes the capacity (a number of entries) and returns a `Cache` with `get(key)` (the value, or `undefined` on a miss) and `put(key, value)`. When a put would take the cache over its capacity, evict the entry that was used longest ago; a `get` counts as a use.",
    "",
    "A read-through client sits in front of your cache: it reads keys drawn from a Zipf distribution (skew 0.99: a few keys are very popular, most are rare), and on a miss fetches the value and puts it. The grader computes, on the same reads, what an exact LRU of the same capacity would hit and what the optimum would (evicting the key needed furthest in the future, which no real cache can know). Your hits must match LRU's, and can never beat the optimum unless you keep more entries than you may. The last task times it: with 10 000 entries, each operation must take a few microseconds, not a scan.",
  ].join("\n"),
  tasks: [
    {
      id: "lru",
      title: "Least recently used",
      description: "Capacity 1000, 30 000 reads of 50 000 keys: at least 99% of an exact LRU's hits, and within the budget.",
      scenarios: [componentScenario({ name: "capacity-1000", system, durationMs: 1, options: { capacity: 1000, keys: 50_000, ops: 30_000 } })],
      checks: [{ name: "memory" }, { name: "hit-ratio", params: { minOfLru: 0.99 } }],
    },
    {
      id: "small-and-large",
      title: "Tiny and large budgets",
      description: "Capacity 10 and capacity 10 000: the same rules at both ends.",
      scenarios: [
        componentScenario({ name: "capacity-10", system, durationMs: 1, options: { capacity: 10, keys: 1000, ops: 20_000 } }),
        componentScenario({ name: "capacity-10000", system, durationMs: 1, options: { capacity: 10_000, keys: 100_000, ops: 40_000 } }),
      ],
      checks: [{ name: "memory" }, { name: "hit-ratio", params: { minOfLru: 0.99 } }],
    },
    {
      id: "speed",
      title: "O(1)",
      description: "10 000 entries, filled first, then 50 000 timed reads: at most 20 µs per operation on average, the calls into the sandbox included (an O(1) cache takes 2 to 5; a scan of the entries, 50 or more).",
      scenarios: [componentScenario({ name: "timed-10000", system, durationMs: 1, options: { capacity: 10_000, keys: 100_000, ops: 50_000, timed: 10_000 } })],
      checks: [{ name: "memory" }, { name: "hit-ratio", params: { minOfLru: 0.99 } }, { name: "speed", params: { maxUs: 20 } }],
    },
  ],
  seeds: 10,
  hints: [
    "A Map finds a key in O(1). What you also need is the order of use, with O(1) moves to the front and O(1) removal of the oldest.",
    "A JavaScript Map iterates in insertion order: deleting a key and setting it again moves it to the end, and `map.keys().next().value` is the oldest key.",
    "Evict in put, before inserting a new key, only when the cache is full; updating an existing key must not evict anything.",
  ],
});
