import type { ScaffoldSpec } from "./scaffold.ts";

/**
 * A design exercise starts as a small URL shortener (the url-shortener prompt) over four simulated minutes:
 * a launch task and a zone outage. Every file is one design written out with a few parts changed, so the
 * wrong designs read as the reference with one mistake in it.
 */
interface DesignParts {
  /** What this design is, as the file's opening comment (a wrong one starts with "fails: <check>"). */
  comment: string;
  zones?: string;
  cache?: string;
  store?: string;
  /** Declarations the handlers share, above the design. */
  shared?: string;
  resolve?: string;
  shorten?: string;
  update?: string;
}

const allZones = '["a", "b", "c"]';

function designText(parts: DesignParts): string {
  const zones = parts.zones ?? allZones;
  const store = parts.store ?? `sql({ instance: "db.r7g.large", shards: 2, zones: ${zones}, replicas: 1, replication: "sync", failoverSec: 10 })`;
  const usesKv = store.startsWith("kv(");
  return `${parts.comment
    .split("\n")
    .map((line) => `// ${line}`.trimEnd())
    .join("\n")}
import { design, lb, pool, cache, ${usesKv ? "kv" : "sql"} } from "clusterlab";
import type { CallError } from "clusterlab";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const unavailable = (error: unknown) => (error as CallError).reason === "unavailable" || (error as CallError).reason === "timeout";
${parts.shared ? `${parts.shared}\n` : ""}
export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 4, zones: ${zones}, concurrency: 256, autoscale: { min: 3, max: 20, targetCpu: 0.4 } }),
    cache: ${parts.cache ?? `cache({ memoryGb: 13, nodes: 3, zones: ${zones}, ttlSec: 3600 })`},
    db: ${store},
  },
  calls: {
    cache: { timeoutMs: 20 },
    db: { timeoutMs: 200, retries: 1, retryBudget: 0.1 },
  },
  handlers: {
    async resolve(ctx, req) {
${parts.resolve ?? resolveBody}
    },
    async shorten(ctx, req) {
${parts.shorten ?? shortenBody}
    },
    async update(ctx, req) {
${parts.update ?? updateBody}
    },
  },
});
`;
}

const resolveBody = `      const cached = await ctx.call("cache", "get", req.code).catch(() => undefined);
      if (cached !== undefined) return { url: cached };
      // While a primary fails over, its replica is the next best answer.
      const url = await ctx.call("db", "get", req.code).catch((error) => {
        if (unavailable(error)) return ctx.call("db", "get", req.code, { from: "replica" });
        throw error;
      });
      if (url !== undefined) ctx.call("cache", "set", req.code, url).catch(() => {});
      return { url };`;

const newCode = `        let code = "";
        for (let i = 0; i < 7; i++) code += alphabet[Math.floor(ctx.random() * 62)];`;

const shortenWith = (makeCode: string) => `      const idempotency = \`idem:\${req.idempotencyKey}\`;
      const earlier = await ctx.call("db", "get", idempotency).catch(() => undefined);
      if (earlier !== undefined) return { code: earlier };
      for (let attempt = 0; attempt < 6; attempt++) {
${makeCode}
        // insert refuses a code that is taken, so two links never share one.
        const written = await ctx.call("db", "insert", code, req.url).catch((error) => {
          if (unavailable(error)) return false;
          throw error;
        });
        if (written) {
          await ctx.call("db", "put", idempotency, code).catch(() => {});
          return { code };
        }
      }
      throw new Error("no code could be written");`;
const shortenBody = shortenWith(newCode);

const updateBody = `      await ctx.call("db", "put", req.code, req.url);
      await ctx.call("cache", "delete", req.code).catch(() => {});
      return {};`;

/** Files relative to exercises/<slug>/; `header` opens exercise.ts (what scaffolded it, and what to run next). */
export function designFiles(spec: ScaffoldSpec, header: string): Record<string, string> {
  const wrong = (check: string, why: string, parts: Omit<DesignParts, "comment">) => designText({ comment: `fails: ${check}\n${why}`, ...parts });
  return {
    "exercise.ts": `${header}import { defineExercise } from "../../graders/index.ts";
import { designScenario, type DesignScenarioSpec } from "../../graders/design/scenario.ts";

/**
 * The prompt (graders/design/prompts/) sets the users, their requests and what is correct; a task sets how
 * long it runs, the traffic (\`growth\`: a multiple of the prompt's launch traffic) and at most one fault.
 * Four simulated minutes of a sample of 30 requests a second keep a seed's run near a tenth of a second.
 * To show each run beside the reference design's figures, add \`reference\` (see
 * exercises/url-shortener/reference-figures.ts).
 */
const scenario = (spec: Omit<DesignScenarioSpec, "prompt" | "durationMin" | "sampledPeakPerSec">) => designScenario({ prompt: "url-shortener", durationMin: 4, sampledPeakPerSec: 30, ...spec });

/** The prompt's own correctness: codes are unique, a retry gets its first code, reads return what was stored. */
/**
 * The budget: correct designs cost $1,390–1,640 (key-value-store) and $1,750–1,815 a month (the reference,
 * write-through) on seeds 1–20; a cache sized for every link (wrong/over-budget) $8,920. Measure again when
 * the design changes.
 */
const correctness = [{ name: "unique-codes" }, { name: "idempotency" }, { name: "correct-reads" }, { name: "stale-reads", params: { maxRatio: 0.001 } }];

export default defineExercise({
  slug: ${JSON.stringify(spec.slug)},
  title: ${JSON.stringify(spec.title)},
  lesson: ${JSON.stringify(spec.lesson)},
  harness: "design",
  instructions: [
    'Default-export \`design({ … })\` (the building blocks come from "clusterlab"): the components of a URL shortener and one async handler per request type, which says how a request flows: \`const url = await ctx.call("cache", "get", req.code)\`.',
    "",
    "4,000 requests a second at the peak: 97.5% \`resolve\` (return the URL stored for \`req.code\`), 2% \`shorten\` (return a new unique code for \`req.url\`; a retry with the same \`req.idempotencyKey\` gets the same code), 0.5% \`update\` (within 60 s every resolve returns the new URL). The links live in the store, keyed by code.",
  ].join("\\n"),
  tasks: [
    {
      id: "launch",
      title: "Launch traffic",
      description: "Meet the SLOs (resolve p99 ≤ 25 ms, shorten p99 ≤ 60 ms), keep codes unique and reads correct, for at most $2,500 a month.",
      scenarios: [scenario({ name: "launch" })],
      checks: [{ name: "latency", params: { resolveP99Max: 25, shortenP99Max: 60 } }, { name: "availability", params: { min: 0.999 } }, ...correctness, { name: "cost", params: { maxUsdPerMonth: 2500 } }, { name: "no-errors" }],
      // What the task is worth in a classroom grade (default 1).
      points: 1,
    },
    {
      id: "zone-outage",
      title: "A zone goes down",
      description: "At 1:00 a zone fails for two minutes with everything in it (only timeouts tell). Keep serving (99% of resolves, 98% of new links, 90% of updates: an update waits for its shard's failover) and be back at 99% success within 60 s.",
      scenarios: [scenario({ name: "zone-outage", fault: { kind: "zone-outage", atMin: 1, forMin: 2 } })],
      checks: [{ name: "availability", params: { resolveMin: 0.99, shortenMin: 0.98, updateMin: 0.9 } }, { name: "rto", params: { maxSec: 60 } }, ...correctness, { name: "no-errors" }],
      points: 2,
    },
  ],
  seeds: 5,
  hints: ["Put a cache in front of the store for resolves, and delete a link's key when it is updated.", 'Spread every component over zones (\`zones: ["a", "b", "c"]\`) and give the store a replica.'],
});
`,
    "starter.ts": `// Design the URL shortener (see the instructions). This starter runs, but falls over: one instance in one
// zone, no cache, a single database primary, and codes that collide.
import { design, lb, pool, sql } from "clusterlab";

export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.medium", count: 1 }),
    db: sql({ instance: "db.r7g.large" }),
  },
  handlers: {
    async resolve(ctx, req) {
      return { url: await ctx.call("db", "get", req.code) };
    },
    async shorten(ctx, req) {
      const code = String(Math.floor(ctx.random() * 1000));
      await ctx.call("db", "put", code, req.url);
      return { code };
    },
    async update(ctx, req) {
      await ctx.call("db", "put", req.code, req.url);
      return {};
    },
  },
});
`,
    ".meta/solution.ts": designText({
      comment:
        "The reference design: a balancer in front of an autoscaled pool over three zones; a cache of links\n(cache-aside, an hour's TTL, the key deleted when its link is updated); a SQL store of two shards, each\nprimary with a synchronous replica in another zone, so a failover loses no acknowledged write.",
    }),
    ".meta/alternatives/write-through.ts": designText({
      comment: "Write-through: an update writes the new URL to the cache instead of deleting the old one.",
      update: `      await ctx.call("db", "put", req.code, req.url);\n      await ctx.call("cache", "set", req.code, req.url).catch(() => {});\n      return {};`,
    }),
    ".meta/alternatives/key-value-store.ts": designText({
      comment: "A managed key-value store instead of SQL: it replicates to a quorum of three zones before it acknowledges\na write and elects a new leader in seconds, so a resolve needs no replica to fall back on.",
      store: "kv({ partitions: 8 })",
      resolve: `      const cached = await ctx.call("cache", "get", req.code).catch(() => undefined);\n      if (cached !== undefined) return { url: cached };\n      const url = await ctx.call("db", "get", req.code);\n      if (url !== undefined) ctx.call("cache", "set", req.code, url).catch(() => {});\n      return { url };`,
    }),
    ".meta/wrong/one-zone.ts": wrong("availability", "Everything in one zone: when that zone fails, the whole service goes with it.", { zones: '["a"]' }),
    ".meta/wrong/over-budget.ts": wrong("cost", "A cache sized for every link there is, hot or not: it meets every SLO and costs several times the budget.", { cache: `cache({ memoryGb: 400, nodes: 6, zones: ${allZones}, ttlSec: 3600 })` }),
    ".meta/wrong/no-ttl-cache.ts": wrong("stale-reads", "The cache keeps links forever and an update does not touch it: a changed link keeps resolving to\nits old URL for as long as it stays cached.", {
      cache: `cache({ memoryGb: 13, nodes: 3, zones: ${allZones} })`,
      update: `      await ctx.call("db", "put", req.code, req.url);\n      return {};`,
    }),
    ".meta/wrong/module-counter.ts": wrong("unique-codes", "Codes from a counter in the module, as if the module were one process: every api instance has its own\ncopy, counts from 0 like the others and overwrites (put) the links they wrote under the same codes.", {
      shared: "let next = 0;",
      shorten: `      const code = (next++).toString(36);\n      await ctx.call("db", "put", code, req.url);\n      return { code };`,
    }),
    ".meta/wrong/never-settles.ts": wrong("no-errors", "Wraps the update in a promise of its own and never settles it: the handler never returns.", {
      update: `      await new Promise<void>(() => {\n        ctx.call("db", "put", req.code, req.url).catch(() => {});\n      });\n      return {};`,
    }),
  };
}
