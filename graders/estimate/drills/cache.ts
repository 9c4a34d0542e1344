/** Drill: memory for the hot set of a Zipf-popular catalogue, the cache nodes it takes, and what still reaches the database. */
import { ln } from "../numbers.ts";
import type { Drill, Values } from "../types.ts";
import { bytesPerGiB } from "./units.ts";

/** The Euler–Mascheroni constant: H(n) = 1 + 1/2 + … + 1/n ≈ ln n + γ. */
const eulerGamma = 0.5772156649;

/**
 * Under Zipf popularity with exponent 1 the item of rank i is asked for in proportion to 1/i, so the top k of
 * n items take H(k) / H(n) of the requests.
 */
const zipfShare = (k: number, n: number): number => (ln(k) + eulerGamma) / (ln(n) + eulerGamma);

const cacheBytesOf = (v: Values) => v.objects! * v.hotShare! * (v.bytesPerObject! + v.overheadBytesPerEntry!);

export const cacheDrill: Drill = {
  name: "estimate-cache",
  title: "Cache memory for the hot set",
  summary: "A read-heavy catalogue whose items are asked for with Zipf popularity (exponent 1: the item of rank i gets a share proportional to 1/i). The cache keeps the hottest share of the items; every entry costs its value plus a fixed overhead (key, pointers, allocator); each cache node has a fixed amount of usable memory.",
  assumptions: [
    { name: "objects", description: "distinct items in the catalogue", min: 1e8, max: 5e9, scale: "log" },
    { name: "bytesPerObject", description: "bytes of one item's cached value", min: 100, max: 4000, scale: "log" },
    { name: "overheadBytesPerEntry", description: "bytes of overhead per cache entry (key, pointers, allocator)", min: 50, max: 150, scale: "linear", step: 10 },
    { name: "hotShare", description: "the share of the items the cache keeps, the most popular first", min: 0.05, max: 0.25, scale: "linear", step: 0.05 },
    { name: "nodeMemoryGiB", description: "usable memory of one cache node, in GiB (2³⁰ bytes)", min: 8, max: 64, scale: "log", choices: [8, 16, 32, 64] },
    { name: "readsPerSec", description: "reads per second at the peak, all through the cache", min: 1e4, max: 1e6, scale: "log" },
  ],
  // At least four nodes' worth: a one-node cache would make the node count a matter of rounding.
  accept: (a) => cacheBytesOf(a) >= 4 * a.nodeMemoryGiB! * bytesPerGiB,
  constants: [{ value: bytesPerGiB, says: "2³⁰, the bytes in a GiB" }],
  steps: [
    {
      figure: "hotObjects",
      check: "hot-objects",
      description: "items the cache keeps",
      inputs: ["objects", "hotShare"],
      rule: "objects × hotShare",
      compute: (v) => v.objects! * v.hotShare!,
      mistakes: [
        { compute: (v) => v.objects!, says: "that is every item: the cache keeps only the hottest hotShare of them" },
        { compute: (v) => v.objects! * (1 - v.hotShare!), says: "that is the cold rest: the cache keeps the hotShare" },
      ],
    },
    {
      figure: "bytesPerEntry",
      check: "entry-bytes",
      description: "memory of one cache entry, overhead included",
      inputs: ["bytesPerObject", "overheadBytesPerEntry"],
      rule: "bytesPerObject + overheadBytesPerEntry",
      compute: (v) => v.bytesPerObject! + v.overheadBytesPerEntry!,
    },
    {
      figure: "cacheBytes",
      check: "cache-bytes",
      description: "memory for the hot set",
      inputs: ["hotObjects", "bytesPerEntry"],
      rule: "hotObjects × bytesPerEntry",
      compute: (v) => v.hotObjects! * v.bytesPerEntry!,
      mistakes: [{ compute: (v) => v.objects! * v.bytesPerEntry!, says: "that sizes the cache for every item: it keeps only the hot set" }],
    },
    {
      figure: "cacheNodes",
      check: "cache-nodes",
      description: "cache nodes it takes (a whole number)",
      inputs: ["cacheBytes", "nodeMemoryGiB"],
      rule: "⌈cacheBytes ÷ (nodeMemoryGiB × 2³⁰ bytes)⌉",
      compute: (v) => Math.ceil(v.cacheBytes! / (v.nodeMemoryGiB! * bytesPerGiB)),
      mistakes: [{ compute: (v) => v.cacheBytes! / v.nodeMemoryGiB!, says: "you divided bytes by a number of GiB: convert it first (1 GiB is 2³⁰ bytes)" }],
    },
    {
      figure: "hitRatio",
      check: "hit-ratio",
      description: "the share of reads the hot set answers, under Zipf popularity",
      compare: "probability",
      inputs: ["hotObjects", "objects"],
      rule: "H(hotObjects) ÷ H(objects), with H(n) ≈ ln n + 0.5772",
      compute: (v) => zipfShare(v.hotObjects!, v.objects!),
      mistakes: [
        { compute: (v) => v.hotShare!, says: "that is the hot set's share of the items: with Zipf popularity the top items take far more of the reads than their number" },
        { compute: (v) => 1 - zipfShare(v.hotObjects!, v.objects!), says: "that is the miss ratio, the reads that go past the cache" },
      ],
    },
    {
      figure: "dbReadsPerSec",
      check: "db-reads",
      description: "reads per second that miss and reach the database",
      inputs: ["readsPerSec", "hitRatio"],
      rule: "readsPerSec × (1 − hitRatio)",
      compute: (v) => v.readsPerSec! * (1 - v.hitRatio!),
      mistakes: [{ compute: (v) => v.readsPerSec! * v.hitRatio!, says: "that counts the hits: the database sees the misses, readsPerSec × (1 − hitRatio)" }],
    },
  ],
};
