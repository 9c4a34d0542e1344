/** Drill: the tail at scale: a request that waits for n leaves is slow when any one of them is. */
import { ln, pow } from "../numbers.ts";
import type { Drill, Values } from "../types.ts";

const maxFanOutOf = (v: Values) => Math.floor(ln(1 - v.targetSlowProbability!) / ln(1 - v.leafSlowProbability!));

export const fanOutDrill: Drill = {
  name: "estimate-fan-out",
  title: "The fan-out tail",
  summary: "A front end sends each request to n leaf servers in parallel and answers when all have replied. Each leaf call is slow (beyond the leaf's own p99, say) with a small probability, independently of the others; the request is slow when any of its leaf calls is.",
  assumptions: [
    { name: "fanOut", description: "leaf calls per request", min: 5, max: 500, scale: "log", choices: [5, 10, 20, 50, 100, 200, 500], factorHint: "the fan-out" },
    { name: "leafSlowProbability", description: "the probability that one leaf call is slow", min: 0.001, max: 0.05, scale: "log", digits: 1 },
    { name: "targetSlowProbability", description: "the share of requests allowed to be slow", min: 0.01, max: 0.3, scale: "log", digits: 1 },
  ],
  // A fan-out the target allows of at least 3, and at most 4 slow leaves per request on average (past that
  // every request is slow, and the figures say nothing more).
  accept: (a) => maxFanOutOf(a) >= 3 && a.fanOut! * a.leafSlowProbability! <= 4,
  steps: [
    {
      figure: "allFastProbability",
      check: "all-fast",
      description: "the probability that all n leaf calls of a request are fast",
      compare: "probability",
      inputs: ["leafSlowProbability", "fanOut"],
      rule: "(1 − leafSlowProbability)^fanOut",
      compute: (v) => pow(1 - v.leafSlowProbability!, v.fanOut!),
      mistakes: [
        { compute: (v) => pow(v.leafSlowProbability!, v.fanOut!), says: "p^n is the probability that every leaf is slow; all fast is (1 − p)^n" },
        { compute: (v) => 1 - pow(v.leafSlowProbability!, v.fanOut!), says: "1 − p^n is the probability that not every leaf is slow; all fast is every leaf fast, (1 − p)^n" },
        { compute: (v) => 1 - v.leafSlowProbability! * v.fanOut!, says: "1 − n·p subtracts the slow leaves' probabilities as if they never overlapped; all fast is (1 − p)^n" },
      ],
    },
    {
      figure: "slowRequestProbability",
      check: "slow-request",
      description: "the probability that a request is slow (at least one leaf call is)",
      compare: "probability",
      inputs: ["allFastProbability"],
      rule: "1 − allFastProbability",
      compute: (v) => 1 - v.allFastProbability!,
      mistakes: [
        { compute: (v) => 1 - pow(v.leafSlowProbability!, v.fanOut!), says: "1 − p^n is the probability that not every leaf is slow; a request is slow when any one is: 1 − (1 − p)^n" },
        { compute: (v) => v.leafSlowProbability! * v.fanOut!, says: "n·p adds the leaves' probabilities as if only one could be slow at a time: it is an upper bound, and it passes 1" },
        { compute: (v) => v.leafSlowProbability!, says: "that is one leaf's probability: the request waits for all n, so any slow one makes it slow" },
      ],
    },
    {
      figure: "maxFanOut",
      check: "max-fan-out",
      description: "the largest fan-out that keeps the slow share within the target (a whole number)",
      inputs: ["targetSlowProbability", "leafSlowProbability"],
      rule: "⌊ln(1 − targetSlowProbability) ÷ ln(1 − leafSlowProbability)⌋",
      compute: maxFanOutOf,
      mistakes: [
        { compute: (v) => Math.floor(ln(v.targetSlowProbability!) / ln(1 - v.leafSlowProbability!)), says: "you solved (1 − p)^n = target: the target bounds the slow share, so (1 − p)^n ≥ 1 − target" },
      ],
    },
    {
      figure: "leafSlowProbabilityForTarget",
      check: "leaf-target",
      description: "how rarely each leaf may be slow for the requests at this fan-out to meet the target",
      compare: "probability",
      inputs: ["targetSlowProbability", "fanOut"],
      rule: "1 − (1 − targetSlowProbability)^(1 / fanOut)",
      compute: (v) => 1 - pow(1 - v.targetSlowProbability!, 1 / v.fanOut!),
      mistakes: [
        { compute: (v) => v.targetSlowProbability!, says: "that asks the leaves for the request's own target: with n of them, each must be about n times better" },
        { compute: (v) => 1 - pow(v.targetSlowProbability!, 1 / v.fanOut!), says: "you took the n-th root of the target: it is the all-fast probability, 1 − target, that is the product of the leaves' (1 − p)" },
      ],
    },
  ],
};
