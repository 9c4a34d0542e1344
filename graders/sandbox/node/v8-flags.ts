/**
 * The V8 flags of a Node process that runs isolates: the sandbox process (process-sandbox.ts) and the test
 * runner's workers (vitest.config.ts), which run the in-process sandboxes. Kept here, with nothing to
 * import, so that the test configuration reads the same flags without loading the sandbox.
 */

/**
 * The young generation's semi-space, in MB, for the process's heap and every isolate it makes: larger
 * than V8 gives these heaps by default. A run allocates fast (messages as strings, promises, closures) and
 * little of it lives long, so a larger young generation collects less often for the same work. Measured
 * on 2 idle cores, with the same history hashes: a grade with --jobs 1, url-shortener 22.8 → 19.4 s
 * (8 MB: 20.8 s, 32 MB: 19.8 s) and broadcast 1.10 → 0.97 s; the failure-detector and notification-design
 * test files in two test workers 36.5 → 32.6 s. It costs resident memory: url-shortener's and broadcast's
 * references on seeds 1–2 in one process peaked at 251 → 312 MB, against a sandbox process's guard of
 * 640 MB and its retiring after a run past 384 MB (at the default 128 MB budget, sandbox-child.ts).
 */
const semiSpaceMb = 16;

/** Every such process's flags: isolated-vm needs Node without its start-up snapshot. */
export const isolateProcessFlags = ["--no-node-snapshot", `--max-semi-space-size=${semiSpaceMb}`] as const;

/**
 * Optimized (TurboFan) and baseline (Sparkplug) code compiled on the thread that runs the code, not on
 * background threads: for a process that has a core's share and no more, when every core already runs a
 * process of the same work; there the threads only take CPU from the others and do more work than the
 * main thread would. Measured on 2 idle cores, 8 broadcast submissions with 2 workers (bench/batch.ts):
 * CPU of the process tree 10.0 → 9.4 s and wall 5.29 → 4.91 s (with the semi-space above too, 4.62 →
 * 4.37 s); one worker, with a core to spare, lost by it (wall 6.4 → 7.1 s) and keeps its threads. In the
 * test runner's two workers it showed no gain (33.98 s against 32.64 s), so they keep theirs.
 */
export const mainThreadCompileFlags = ["--no-concurrent-recompilation", "--no-concurrent-sparkplug"] as const;
