/**
 * The engine of a design run (the host protocol of protocol/host.ts): reads the learner's design out of
 * its realm, builds the simulated infrastructure, and plays the prompt's traffic through it request by
 * request (simulation.ts does the work).
 *
 * Learner code stays in its realm, and every continuation runs at the right virtual time. A handler is
 * async: it runs until its first `await ctx.call(…)`, and the rest of it is a promise continuation that
 * may run only after the engine settles that call's promise, and must run before any later event. Such
 * continuations run when the microtask queue drains, never in the middle of a call into the realm. Two
 * ways to let them run (`drain` option):
 *  - "microtask" (default): the engine's loop is itself async, inside the sandbox. After each event that
 *    called into the realm it awaits, one microtask hop at a time, asking the realm after each hop whether
 *    one of its continuations ran; a hop in which none ran means none is queued (the queue is FIFO), so
 *    the next event may run. No host crossing per event: the host's first run() starts the loop and
 *    returns "yield"; the whole simulation then runs in the microtask checkpoint that ends that call (the
 *    host's wall-time budget still applies: isolated-vm times the checkpoint with the call).
 *  - "host": return "yield" to the host after each such event and collect on the next run() (the node
 *    harness's way). Kept to measure against (bench/design.ts).
 */
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { EngineResult } from "../contract.ts";
import type { DesignOutcome, DesignRunData } from "../harness/design/run.ts";
import { DesignSimulation, type RealmEntry } from "./simulation.ts";
import { designOptions } from "./scenario.ts";

export type DesignResult = EngineResult<DesignRunData>;

export class DesignEngine {
  current = "";
  interrupt: (() => boolean) | undefined;
  private entry: RealmEntry | undefined;
  private state: "idle" | "running" | "done" | "interrupted" = "idle";
  private sim: DesignSimulation | undefined;
  private readonly scenario: ScenarioSpec;
  private readonly knobs: Knobs;

  constructor(scenario: ScenarioSpec, knobs: Knobs) {
    this.scenario = scenario;
    this.knobs = knobs;
  }

  attach(_realm: string, entry: RealmEntry): void {
    this.entry = entry;
  }

  run(): string {
    if (this.state === "done") return "done";
    if (this.state === "interrupted") return "interrupted";
    if (this.state === "idle") {
      if (!this.entry) return "restart n1";
      const options = designOptions(this.scenario);
      this.sim = new DesignSimulation(this.scenario, this.knobs, this.entry, options, {
        running: (who) => void (this.current = who),
        interrupted: () => this.interrupt?.() ?? false,
      });
      this.state = "running";
      if (options.drain === "microtask") {
        this.sim.runAsync().then(
          (how) => void (this.state = how),
          (error: unknown) => {
            this.sim!.fail(`the design engine failed: ${error instanceof Error ? error.message : String(error)}`);
            this.state = "done";
          },
        );
        return "yield";
      }
    }
    const sim = this.sim!;
    if (sim.options.drain === "microtask") return "yield";
    // "host": one event-driven stretch per host turn; continuations queued by it drain when this call returns.
    const how = sim.runUntilYield();
    if (how === "yield") return "yield";
    this.state = how;
    return how;
  }

  resultData(): DesignResult {
    const sim = this.sim;
    const design: DesignOutcome = sim ? sim.outcome() : { figures: {}, series: {}, findings: {}, cost: {}, recordHash: "", events: 0, simulatedMs: 0 };
    const stats = { events: design.events, simulatedMs: design.simulatedMs };
    return { stats, errors: sim?.errors ?? [], logs: sim?.logs() ?? [], design, ...(design.fatal ? { fatal: design.fatal } : {}) };
  }

  result(): string {
    return JSON.stringify(this.resultData());
  }
}
