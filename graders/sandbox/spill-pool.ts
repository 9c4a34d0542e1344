/**
 * A sandbox over several, for a grade that is long: the first sandbox takes every run it has room for, and
 * the others join only once the pool has been busy for `spillAfterMs` without a break. A short grade thus
 * never pays for another sandbox (a fresh realm whose JIT warms up on its share of the runs, or a process
 * to start), which costs it more than the second core gives; a long one gets every core it was given.
 *
 * Only which sandbox runs a run depends on the time. A run's outcome does not (the same request gives the
 * same history in any sandbox of one kind), and grade() judges the runs in plan order, so the results and
 * hashes are those of the first sandbox alone.
 */
import type { RunOutcome, RunRequest, Sandbox } from "./types.ts";

export interface SpillPoolOptions {
  /** How long the pool must have been busy without a break before the others join, in ms. */
  spillAfterMs: number;
  /** A real clock in ms (the one-realm sandbox's lockdown makes the realm's own clocks virtual). */
  now: () => number;
  /** How many sandboxes may join, each holding `concurrency` runs at once. */
  others: number;
  /**
   * The `index`th other sandbox (0-based), asked for the first time a run is handed to it; kept for later
   * grades. The caller owns it (and disposes of it).
   */
  other: (index: number) => Sandbox;
  /** Runs each other sandbox holds at once (default 1). */
  othersConcurrency?: number;
}

interface Slot {
  sandbox?: Sandbox;
  /** Runs handed to it and not yet answered, and how many it may hold. */
  load: number;
  depth: number;
}

export function createSpillPool(first: Sandbox, options: SpillPoolOptions): Sandbox {
  const own: Slot = { sandbox: first, load: 0, depth: Math.max(1, Math.floor(first.concurrency ?? 1)) };
  const othersDepth = Math.max(1, Math.floor(options.othersConcurrency ?? 1));
  const others: Slot[] = Array.from({ length: Math.max(0, Math.floor(options.others)) }, () => ({ load: 0, depth: othersDepth }));
  const waiting: Array<(slot: Slot) => void> = [];
  let inFlight = 0;
  /** When the pool last went from idle to busy: a grade, whose runs are started ahead, so it never idles between them. */
  let busySince = 0;
  const spilling = () => options.now() - busySince >= options.spillAfterMs;
  /**
   * A slot with room for the next run, its load counted at once. Once spilling, another sandbox comes
   * before the first: in one realm (the browser's Worker) the first's run holds the thread until it ends,
   * while another's is a message posted, so the first must be handed the last run started in a turn, or
   * the others would wait for it.
   */
  const take = (): Slot | undefined => {
    const other = spilling() ? others.filter((s) => s.load < s.depth).sort((a, b) => a.load - b.load)[0] : undefined;
    const slot = other ?? (own.load < own.depth ? own : undefined);
    if (slot) slot.load++;
    return slot;
  };
  const dispatch = () => {
    const handed: Array<[(slot: Slot) => void, Slot]> = [];
    while (waiting.length > 0) {
      const slot = take();
      if (!slot) break;
      handed.push([waiting.shift()!, slot]);
    }
    for (const [resume, slot] of handed) resume(slot);
  };
  return {
    concurrency: own.depth + othersDepth * others.length,
    async run(request: RunRequest): Promise<RunOutcome> {
      if (inFlight++ === 0) busySince = options.now();
      const slot = await new Promise<Slot>((resolve) => {
        waiting.push(resolve);
        dispatch();
      });
      try {
        slot.sandbox ??= options.other(others.indexOf(slot));
        return await slot.sandbox.run(request);
      } finally {
        slot.load--;
        inFlight--;
        dispatch();
      }
    },
  };
}
