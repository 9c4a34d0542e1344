/**
 * Scripted faults (ScenarioSpec.faults.script): a fixed sequence of steps, each waiting for its moment and
 * then cutting, healing, crashing or restarting nodes. Random faults find a bug only when chance lines the
 * faults up with the protocol's own moves; some bugs need several faults in one order, each at the right
 * moment (Raft's Figure 8 needs four leader changes with a particular log on each side), which chance
 * almost never produces. A script waits for the moves instead of guessing their times:
 *
 * - a step waits for a virtual time (`atMs`), for a delay after the step before it (`afterMs`), and/or for
 *   the first message a node sends whose body matches (`when`): "a node answers the status probe as leader
 *   of a term above T". Matching what the nodes say, not when, lines the faults up with any solution's
 *   timing: its election timeouts and heartbeats decide when a step fires, not the script's author;
 * - a matching message can bind names: the node that sent it ("src"), the one it went to ("dest") and
 *   numbers from its body, which later steps use as nodes ("$leader") and bounds ({gt: "$term"});
 * - actions name nodes by id, by bound name, or "*" (in a partition: every node no other group names).
 *
 * A step fires once; the script ends after its last step, or stays waiting for ever if the run never does
 * what a step waits for (then the run simply has fewer faults), unless the step gives up (`withinMs`):
 * then the script heals its cuts and ends, so that a run that went another way is not left partitioned. Steps act only in the safety phase, as
 * every fault: the heal at the end of it undoes a script's partitions and restarts its crashed nodes.
 * Nothing here runs unless a scenario has a script, so every other run is as it was.
 */
import type { Rng } from "./prng.ts";
import { blockedLinks, type FaultEvent, type ScriptAction, type ScriptCondition, type ScriptStep } from "./scenario.ts";

/** Where the script stands, for the simulator: what to wait for next. */
export class FaultScript {
  private readonly steps: readonly ScriptStep[];
  private readonly nodeIds: readonly string[];
  private readonly rng: Rng;
  private readonly names = new Map<string, string | number>();
  private index = 0;
  /** When the current step's time gate opened, and whether it gave up waiting (`withinMs`). */
  private openedMs = 0;
  private givenUp = false;
  /** The current step's time gate has passed: its message trigger (if any) is being watched. */
  private open = false;
  /** The current step fired on a message during a node's step: its actions wait until that step ends. */
  fired = false;
  /** Every fault the script applied, with its time, for the run's data and the checkers. */
  readonly applied: FaultEvent[] = [];

  constructor(steps: readonly ScriptStep[], nodeIds: readonly string[], rng: Rng) {
    this.steps = steps;
    this.nodeIds = nodeIds;
    this.rng = rng;
  }

  /** Whether messages must be shown to see(): the current step is open and waits for one. */
  get watching(): boolean {
    return this.open && !this.fired && this.steps[this.index]?.when !== undefined;
  }

  /**
   * Whether the simulator must look into node-to-node requests and replies: for a crash (a reply goes to
   * the life that asked) or a step that waits for a vote.
   */
  get watchesPeers(): boolean {
    return this.steps.some((s) => s.when?.vote === true || s.do.some((a) => "crash" in a || "crashAt" in a));
  }

  /**
   * When the current step's time gate opens, given that the step before it fired at `nowMs`; undefined
   * when the script is over. The simulator calls open() at that time.
   */
  gateMs(nowMs: number): number | undefined {
    const step = this.steps[this.index];
    if (!step) return undefined;
    return Math.max(nowMs, step.atMs ?? 0, nowMs + (step.afterMs ?? 0));
  }

  /** The current step's time has come (at `nowMs`): true when it fires at once (it waits for no message). */
  openGate(nowMs: number): boolean {
    this.open = true;
    this.openedMs = nowMs;
    return this.steps[this.index]?.when === undefined;
  }

  /** A message a node sent (to a node or a client) at `nowMs`: true when it fires the current step. */
  see(src: string, dest: string, toNode: boolean, bodyJson: string, answersVote: () => boolean, nowMs: number): boolean {
    const step = this.steps[this.index]!;
    if (step.withinMs !== undefined && nowMs > this.openedMs + step.withinMs) {
      this.givenUp = true;
      this.fired = true;
      return true;
    }
    const when = step.when!;
    if (when.to && (when.to === "node") !== toNode) return false;
    if (when.vote && !answersVote()) return false;
    if (when.from && !when.from.some((ref) => this.node(ref) === src)) return false;
    if (when.notFrom?.some((ref) => this.node(ref) === src)) return false;
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(bodyJson);
      if (typeof parsed !== "object" || parsed === null) return false;
      body = parsed as Record<string, unknown>;
    } catch {
      return false;
    }
    for (const [field, condition] of Object.entries(when.body)) if (!this.holds(body[field], condition)) return false;
    for (const [name, field] of Object.entries(when.bind ?? {})) {
      const value = field === "src" ? src : field === "dest" ? dest : body[field];
      if (typeof value === "string" || typeof value === "number") this.names.set(name, value);
    }
    this.fired = true;
    return true;
  }

  /** The current step's actions as faults at `nowMs` (the script moves on to its next step). */
  take(nowMs: number): FaultEvent[] {
    if (this.givenUp) {
      // The step waited too long: heal and end.
      this.index = this.steps.length;
      this.open = false;
      this.fired = false;
      const heal: FaultEvent = { atMs: nowMs, kind: "heal" };
      this.applied.push(heal);
      return [heal];
    }
    const step = this.steps[this.index]!;
    const faults: FaultEvent[] = [];
    for (const action of step.do) {
      const fault = this.fault(action, nowMs);
      if (!fault) continue;
      // One step's partitions are one cut (a partition replaces the one before it): their links together.
      const earlier = fault.kind === "partition" ? faults.find((f) => f.kind === "partition") : undefined;
      if (earlier?.kind === "partition" && fault.kind === "partition") {
        earlier.label += ` and ${fault.label.replace(/^scripted /, "")}`;
        earlier.blocked.push(...fault.blocked);
      } else faults.push(fault);
    }
    this.index++;
    this.open = false;
    this.fired = false;
    this.applied.push(...faults);
    return faults;
  }

  private fault(action: ScriptAction, atMs: number): FaultEvent | undefined {
    if ("partition" in action) {
      const named = new Set<string>();
      const groups = action.partition.map((g) => g.filter((r) => r !== "*").map((r) => this.node(r)));
      for (const g of groups) for (const n of g) named.add(n);
      const rest = this.nodeIds.filter((n) => !named.has(n));
      const full = action.partition.map((g, i) => (g.includes("*") ? [...groups[i]!, ...rest] : groups[i]!)).filter((g) => g.length > 0);
      const label = `scripted ${full.map((g) => `{${g.join(" ")}}`).join(" | ")}`;
      return { atMs, kind: "partition", label, blocked: blockedLinks(full) };
    }
    if ("heal" in action) return { atMs, kind: "heal" };
    if ("crash" in action) return { atMs, kind: "crash", node: this.node(action.crash) };
    if ("restart" in action) return { atMs, kind: "restart", node: this.node(action.restart) };
    if ("crashAt" in action) return { atMs, kind: "crash-point", node: this.node(action.crashAt), point: action.point, nth: action.nth ?? 1, downMs: action.downMs };
    // pick: a name for a node drawn from the seed, among those not excluded.
    const excluded = new Set((action.notIn ?? []).map((r) => this.node(r)));
    const candidates = this.nodeIds.filter((n) => !excluded.has(n));
    if (candidates.length) this.names.set(action.pick, this.rng.pick(candidates));
    return undefined;
  }

  /** A node reference as a node id: "$name" is a bound name; an unbound one names no node. */
  private node(ref: string): string {
    if (!ref.startsWith("$")) return ref;
    const value = this.names.get(ref.slice(1));
    return typeof value === "string" ? value : "";
  }

  private number(x: number | string): number {
    if (typeof x === "number") return x;
    const value = this.names.get(x.startsWith("$") ? x.slice(1) : x);
    return typeof value === "number" ? value : NaN;
  }

  private holds(value: unknown, condition: ScriptCondition): boolean {
    if (typeof condition !== "object") return value === condition;
    if (typeof value !== "number") return false;
    if (condition.gt !== undefined && !(value > this.number(condition.gt))) return false;
    if (condition.gte !== undefined && !(value >= this.number(condition.gte))) return false;
    if (condition.lt !== undefined && !(value < this.number(condition.lt))) return false;
    if (condition.lte !== undefined && !(value <= this.number(condition.lte))) return false;
    return true;
  }
}

/** What is wrong with a script, for assertScenario: unknown nodes, names used before a step binds them. */
export function scriptProblems(steps: readonly ScriptStep[], nodeIds: readonly string[]): string[] {
  const problems: string[] = [];
  const bound = new Set<string>();
  const ids = new Set(nodeIds);
  const checkNode = (ref: string, where: string, star = false) => {
    if (ref === "*" && star) return;
    if (ref.startsWith("$") ? !bound.has(ref.slice(1)) : !ids.has(ref)) problems.push(`${where}: "${ref}" is not a node or a name bound by an earlier step`);
  };
  steps.forEach((step, i) => {
    const where = `faults.script[${i}]`;
    if (step.atMs !== undefined && !(step.atMs >= 0)) problems.push(`${where}.atMs must be ≥ 0`);
    if (step.afterMs !== undefined && !(step.afterMs >= 0)) problems.push(`${where}.afterMs must be ≥ 0`);
    if (step.withinMs !== undefined && !(step.withinMs > 0 && step.when)) problems.push(`${where}.withinMs must be > 0, on a step that waits for a message`);
    if (step.when) {
      for (const ref of [...(step.when.from ?? []), ...(step.when.notFrom ?? [])]) checkNode(ref, `${where}.when`);
      for (const [field, c] of Object.entries(step.when.body)) {
        if (typeof c !== "object") continue;
        for (const x of [c.gt, c.gte, c.lt, c.lte]) if (typeof x === "string" && !bound.has(x.replace(/^\$/, ""))) problems.push(`${where}.when.body.${field}: "${x}" is not bound by an earlier step`);
      }
      for (const name of Object.keys(step.when.bind ?? {})) bound.add(name);
    }
    for (const action of step.do) {
      if ("partition" in action) action.partition.forEach((g) => g.forEach((r) => checkNode(r, `${where}.do partition`, true)));
      else if ("crash" in action) checkNode(action.crash, `${where}.do crash`);
      else if ("restart" in action) checkNode(action.restart, `${where}.do restart`);
      else if ("crashAt" in action) checkNode(action.crashAt, `${where}.do crashAt`);
      else if ("pick" in action) {
        for (const r of action.notIn ?? []) checkNode(r, `${where}.do pick`);
        bound.add(action.pick);
      }
    }
  });
  return problems;
}
