// What locking a learner realm down costs: a fresh isolated-vm context with the lockdown bundle loaded,
// timed with and without lockdownRealm(), in the same process (the baseline is the context alone). A
// CLI run makes one such realm per node, 25 at most.
import { fileURLToPath } from "node:url";
import ivm from "isolated-vm";
import { bundleScript } from "../graders/sandbox/node/index.ts";

export interface LockdownFigures {
  contextMs: number;
  lockdownMs: number;
  objectsFrozen: number;
}

const entry = fileURLToPath(new URL("../tests/runtime/fixtures/lockdown-entry.ts", import.meta.url));

export async function benchLockdown(print: (line: string) => void = console.log, realms = 25): Promise<LockdownFigures> {
  const script = await bundleScript(entry);
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const compiled = isolate.compileScriptSync(script);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const context: number[] = [];
    const locked: number[] = [];
    let objectsFrozen = 0;
    for (let i = 0; i < realms; i++) {
      let started = performance.now();
      const ctx = isolate.createContextSync();
      compiled.runSync(ctx);
      context.push(performance.now() - started);
      started = performance.now();
      objectsFrozen = (JSON.parse(ctx.evalSync(`__lockdown("[]")`) as string) as { objectsFrozen: number }).objectsFrozen;
      locked.push(performance.now() - started);
      ctx.release();
    }
    const figures = { contextMs: median(context), lockdownMs: median(locked), objectsFrozen };
    print(`lockdown (median of ${realms} fresh isolated-vm contexts)`);
    print(`  a context with the runtime loaded: ${figures.contextMs.toFixed(2)} ms; lockdownRealm: ${figures.lockdownMs.toFixed(2)} ms more (${objectsFrozen} objects frozen) → ${(figures.lockdownMs / figures.contextMs).toFixed(2)}× the context's own cost`);
    return figures;
  } finally {
    isolate.dispose();
  }
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;
if (isMain) await benchLockdown();
