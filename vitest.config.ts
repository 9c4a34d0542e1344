import { defineConfig } from "vitest/config";

// Two projects: fast unit/integration tests, and end-to-end tests that build the site and drive a
// real Chromium. `npm test` runs both. isolated-vm needs `--no-node-snapshot` in every worker process.
export default defineConfig({
  test: {
    // Two files at a time (the default here is cores − 1, which on the 2-core CI machine ran all 93 files one
    // after another): grading is CPU-bound, so two workers use both cores and halve the suite's time.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          pool: "forks",
          execArgv: ["--no-node-snapshot"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          pool: "forks",
          execArgv: ["--no-node-snapshot"],
          testTimeout: 240_000,
          hookTimeout: 600_000,
          // One browser and one built site at a time: e2e files share the build output.
          fileParallelism: false,
        },
      },
    ],
  },
});
