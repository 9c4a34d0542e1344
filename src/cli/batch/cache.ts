/**
 * The batch's result cache: a graded solution is not graded again while nothing it depends on changed. The key
 * is a hash of the solution's text, the engine's and the exercise's versions (versions.ts), the seeds, the
 * scenario, the sandbox and whether it was type-checked. Only pass and fail results are kept: an error may be
 * the machine's (a wall-time budget spent on a loaded machine), and is worth grading again.
 *
 * A results object names its file in every replay command and in error locations. A batch grades every file
 * under SOLUTION_PLACEHOLDER (a name no real path or message has) and the cache keeps results that way, so two
 * students' identical files each get results that name their own file (withLabel).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Results } from "../../../graders/index.ts";
import { writeAside } from "../../../graders/sandbox/node/index.ts";

/** Bumped when what a cache file holds changes shape. */
const CACHE_FORMAT = 1;
/** The solution's name while a batch grades it: NUL cannot be in a path, so nothing else reads the same. */
export const SOLUTION_PLACEHOLDER = "\u0000solution\u0000";

export interface CacheKeyParts {
  source: string;
  engine: string;
  exercise: string;
  slug: string;
  seeds: readonly number[];
  scenario?: string | number;
  sandbox: string;
  typecheck: boolean;
}

export function cacheKey(parts: CacheKeyParts): string {
  const solution = createHash("sha256").update(parts.source).digest("hex");
  const { source: _, ...rest } = parts;
  return createHash("sha256").update(JSON.stringify({ format: CACHE_FORMAT, solution, ...rest })).digest("hex");
}

export interface ResultCache {
  /** Where it lives, or undefined for no cache. */
  dir?: string;
  /** Results graded under SOLUTION_PLACEHOLDER, or undefined. */
  get(key: string): Results | undefined;
  put(key: string, results: Results): void;
}

export const noCache: ResultCache = { get: () => undefined, put: () => undefined };

/** node_modules/.cache/clusterlab of the nearest folder (from `cwd` up) with a package.json, else of `cwd`. */
export function defaultCacheDir(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "node_modules", ".cache", "clusterlab");
    if (dirname(dir) === dir) return join(cwd, "node_modules", ".cache", "clusterlab");
  }
}

/** The label as it appears inside JSON strings. */
const inJson = (label: string) => JSON.stringify(label).slice(1, -1);

/** Results graded under SOLUTION_PLACEHOLDER, naming `label` instead. */
export function withLabel(results: Results, label: string): Results {
  return JSON.parse(JSON.stringify(results).split(inJson(SOLUTION_PLACEHOLDER)).join(inJson(label))) as Results;
}

export function openCache(dir: string): ResultCache {
  const fileOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    dir,
    get(key) {
      let text: string;
      try {
        text = readFileSync(fileOf(key), "utf8");
      } catch {
        return undefined;
      }
      try {
        const results = JSON.parse(text) as Results;
        return results.status === "pass" || results.status === "fail" ? results : undefined;
      } catch {
        return undefined; // a torn or foreign file is a miss, and is overwritten
      }
    },
    put(key, results) {
      if (results.status !== "pass" && results.status !== "fail") return;
      writeAside(fileOf(key), JSON.stringify(results));
    },
  };
}
