import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { isolateProcessFlags } from "./graders/sandbox/node/v8-flags.ts";

// Two projects: fast unit/integration tests, and end-to-end tests that build the site and drive a
// real Chromium. `npm test` runs both. Every worker process runs isolates: isolated-vm needs
// `--no-node-snapshot`, and a larger young generation (v8-flags.ts) makes the graders' runs quicker.
export default defineConfig({
  test: {
    // Vitest's default, cores − 1, is one worker on the 2-core CI machine: it ran all 93 files one after
    // another. Grading is CPU-bound, so at least two workers there use both cores and halve the suite's time;
    // a bigger machine keeps the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          pool: "forks",
          execArgv: [...isolateProcessFlags],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          pool: "forks",
          execArgv: [...isolateProcessFlags],
          testTimeout: 240_000,
          hookTimeout: 600_000,
          // One browser and one built site at a time: e2e files share the build output.
          fileParallelism: false,
        },
      },
    ],
  },
});
