/**
 * The engine of a component run: one learner realm (attached as "n1"), the system that calls it, and
 * the same host protocol as the node simulator (run() → "done", then result() as one JSON string).
 * Components are synchronous, so a run never yields to the host for promise continuations.
 */
import { createRng } from "../sim/prng.ts";
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { RunData, RunStats } from "../workloads/types.ts";
import { ComponentPort, type ComponentEntry } from "./port.ts";
import type { ComponentSystem, SystemOutcome } from "./types.ts";

export class ComponentEngine {
  current = "";
  private entry: ComponentEntry | undefined;
  private outcome: SystemOutcome | undefined;
  private port: ComponentPort | undefined;
  private readonly scenario: ScenarioSpec;
  private readonly knobs: Knobs;
  private readonly system: ComponentSystem;

  constructor(scenario: ScenarioSpec, knobs: Knobs, system: ComponentSystem) {
    this.scenario = scenario;
    this.knobs = knobs;
    this.system = system;
  }

  attach(_realm: string, entry: ComponentEntry): void {
    this.entry = entry;
  }

  run(): string {
    if (this.outcome) return "done";
    if (!this.entry) return `restart ${this.knobs.nodeIds[0]}`;
    this.port = new ComponentPort(this.entry, this.knobs.seed);
    // While the system runs, any budget the host enforces is spent in the component's code or the system's.
    this.current = "component";
    this.outcome = this.system.run({
      scenario: this.scenario,
      knobs: this.knobs,
      options: this.scenario.workload.options ?? {},
      rng: createRng(this.knobs.seed, `system/${this.system.name}`),
      port: this.port,
    });
    this.current = "";
    return "done";
  }

  result(): string {
    const outcome = this.outcome!;
    const stats: RunStats = {
      events: outcome.events,
      simulatedMs: outcome.simulatedMs,
      serverMessages: 0,
      messagesSent: 0,
      messagesDelivered: 0,
      messagesDropped: 0,
      bytesSent: 0,
      sentByNode: {},
      traceTruncated: false,
    };
    const data: Omit<RunData, "scenario" | "knobs"> & { components: SystemOutcome; fatal?: string } = {
      history: [],
      trace: [],
      stats,
      errors: this.port!.errors,
      logs: this.port!.logs(),
      components: outcome,
    };
    if (outcome.fatal) data.fatal = outcome.fatal;
    return JSON.stringify(data);
  }
}
