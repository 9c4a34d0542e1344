/**
 * The engine of a component run: the learner realms (one per node id: "n1", and "n2"… when the system
 * runs several instances that must not share memory, like rate-limiting gateways), the system that calls them, and
 * the same host protocol as the node simulator (run() → "done", then result() as one JSON string, or
 * resultData() as plain data).
 * Components are synchronous, so a run never yields to the host for promise continuations.
 */
import { createRng } from "../sim/prng.ts";
import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { EngineResult } from "../contract.ts";
import type { ComponentRunData } from "../harness/component/run.ts";
import { ComponentPort, type ComponentEntry } from "./port.ts";
import type { ComponentSystem, SystemOutcome } from "./types.ts";

/**
 * Each learner realm's Math.random is seeded apart: the run's seed plus its index times a prime, so that
 * realms never share a stream and seed s's second realm is not seed s+1's first.
 */
const realmSeedStride = 7919;

export class ComponentEngine {
  current = "";
  private readonly entries = new Map<string, ComponentEntry>();
  private outcome: SystemOutcome | undefined;
  private ports: ComponentPort[] = [];
  private readonly scenario: ScenarioSpec;
  private readonly knobs: Knobs;
  private readonly system: ComponentSystem;

  constructor(scenario: ScenarioSpec, knobs: Knobs, system: ComponentSystem) {
    this.scenario = scenario;
    this.knobs = knobs;
    this.system = system;
  }

  attach(realm: string, entry: ComponentEntry): void {
    this.entries.set(realm, entry);
  }

  run(): string {
    if (this.outcome) return "done";
    const missing = this.knobs.nodeIds.find((id) => !this.entries.has(id));
    if (missing) return `restart ${missing}`;
    const single = this.knobs.nodeIds.length === 1;
    this.ports = this.knobs.nodeIds.map((id, i) => new ComponentPort(this.entries.get(id)!, this.knobs.seed + i * realmSeedStride, single ? "component" : id));
    // While the system runs, any budget the host enforces is spent in the component's code or the system's.
    this.current = "component";
    this.outcome = this.system.run({
      scenario: this.scenario,
      knobs: this.knobs,
      options: this.scenario.workload.options ?? {},
      rng: createRng(this.knobs.seed, `system/${this.system.name}`),
      port: this.ports[0]!,
      ports: this.ports,
    });
    this.current = "";
    return "done";
  }

  /** The run's plain data (only JSON-shaped values): the one-realm sandbox takes it as it is. */
  resultData(): EngineResult<ComponentRunData> {
    const outcome = this.outcome!;
    const data: EngineResult<ComponentRunData> = {
      stats: { events: outcome.events, simulatedMs: outcome.simulatedMs },
      errors: this.ports.flatMap((p) => p.errors),
      logs: this.ports.flatMap((p) => p.logs()),
      components: outcome,
    };
    if (outcome.fatal) data.fatal = outcome.fatal;
    return data;
  }

  /** The run's plain data as JSON. */
  result(): string {
    return JSON.stringify(this.resultData());
  }
}
