/**
 * The learner-facing types as one ambient module, plus the globals every learner realm has (its own
 * console, timers and clock: runtime/realm-globals.ts `RealmGlobals`), for the CLI's type check and the
 * editor alike. The solution is type-checked with lib es2022 only, so without these `console.log` would
 * not compile although it runs.
 */
const realmGlobalsDts = `
/** This realm's console: every line goes to the node's log, as node.log does (shown with failures). */
declare var console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};
/** The simulator's timers: virtual time on this node's clock (a drifting clock fires them early or late in true time, as node.after does). Components have none (they are called synchronously). */
declare function setTimeout(callback: () => void, ms?: number): number;
declare function setInterval(callback: () => void, ms?: number): number;
declare function clearTimeout(id: number | undefined): void;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;
/** This node's local clock in ms (virtual time: it may be skewed and drift, and this node's timers drift with it). */
declare var performance: { now(): number };
`;

/**
 * The "clusterlab" module from each harness's learner-facing declarations, by harness name: a harness's are
 * its folder's api.ts (graders/harness/<name>/api.ts), which the CLI finds on disk and the editor by
 * import.meta.glob rather than through the registry, which would load every engine. In the order of the
 * names, so the CLI and the editor build the same text.
 */
export function clusterlabModuleDts(apiSourcesByHarness: Readonly<Record<string, string>>): string {
  const sources = Object.keys(apiSourcesByHarness)
    .sort()
    .map((name) => apiSourcesByHarness[name]!);
  return `declare module "clusterlab" {\n${sources.join("\n")}\n}\n${realmGlobalsDts}`;
}

/** The harness a path of graders/harness/<name>/api.ts belongs to (an import.meta.glob key), if it is one. */
export function harnessOfApiFile(path: string): string | undefined {
  return /(?:^|\/)harness\/([^/]+)\/api\.ts$/.exec(path)?.[1];
}
