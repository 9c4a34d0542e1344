/**
 * An exercise's reference, generated from its definition (as Maelstrom documents each workload): what
 * the learner's code is asked and must answer (a node workload's messages with their fields, a component
 * system's or a design prompt's shape, an estimation drill's assumptions and figures), the error codes a
 * node may reply with (graders/protocol/errors.ts), and each task's scenarios, checks and budgets. Read
 * at build time; nothing here is written per exercise, so a new exercise gets its page with no edit.
 */
import {
  describeValue,
  errorCodes,
  getHarness,
  harnessFor,
  type CheckSpec,
  type ErrorCodeInfo,
  type ExerciseDef,
  type ScenarioSpec,
} from "../../graders/index.ts";

export interface SystemReference {
  /** The workload, component system, design prompt or drill, by the name the scenarios give. */
  name: string;
  /** Its kind in words ("workload", "design prompt"…), as its harness says (Harness.describeSystem). */
  kind: string;
  summary: string;
  /** Request → reply, each a message type with its fields (node workloads). */
  messages: Array<{ request: string; reply: string }>;
  /** Other facts of the system as label → text (a prompt's request types, a drill's assumptions…). */
  facts: Array<{ label: string; text: string }>;
}

export interface ScenarioReference {
  name: string;
  /** Each field of the scenario in words: nodes, duration, network, faults, workload and its options. */
  fields: Array<{ label: string; text: string }>;
}

export interface TaskReference {
  id: string;
  title: string;
  description: string;
  points: number;
  scenarios: ScenarioReference[];
  /** Each check with its budgets (params), e.g. "latency: p99Max 250". */
  checks: Array<{ name: string; budgets: string }>;
}

export interface ExerciseReference {
  slug: string;
  title: string;
  harness: string;
  seeds: number;
  systems: SystemReference[];
  /** The wire protocol's error codes: only for exercises whose code replies to clients with them (Harness.wireErrorCodes). */
  errors: readonly ErrorCodeInfo[];
  tasks: TaskReference[];
}

export { describeValue };

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toLocaleString("en")} s` : `${v} ms`);

/** Options that are data for the engine rather than settings a reader weighs (a design's precomputed reference figures). */
const HIDDEN_OPTIONS = new Set(["reference"]);

export function scenarioReference(s: ScenarioSpec): ScenarioReference {
  const fields: Array<{ label: string; text: string }> = [
    { label: "nodes", text: String(s.nodes) },
    { label: "duration", text: `${ms(s.durationMs)}${s.settleMs ? `, then ${ms(s.settleMs)} to settle (no new operations, faults healed)` : ""}` },
  ];
  const { name: workload, options, ...load } = s.workload as ScenarioSpec["workload"] & { options?: Record<string, unknown> };
  fields.push({ label: "workload", text: `${workload}${Object.keys(load).length ? `: ${describeValue(load)}` : ""}` });
  const shown = Object.entries(options ?? {}).filter(([k]) => !HIDDEN_OPTIONS.has(k));
  if (shown.length) fields.push({ label: "options", text: describeValue(Object.fromEntries(shown)) });
  if (s.network && Object.keys(s.network).length) fields.push({ label: "network", text: describeValue(s.network) });
  if (s.faults && Object.keys(s.faults).length) fields.push({ label: "faults", text: describeValue(s.faults) });
  return { name: s.name, fields };
}

/** The system a scenario's workload names, as the harness that runs it describes it. */
function systemOf(scenario: ScenarioSpec): SystemReference {
  return { name: scenario.workload.name, ...harnessFor(scenario).describeSystem(scenario.workload.name) };
}

const budgets = (check: CheckSpec) => (check.params && Object.keys(check.params).length ? describeValue(check.params) : "");

export function exerciseReference(def: ExerciseDef): ExerciseReference {
  // One scenario per workload named: the first, in the order of the tasks.
  const byWorkload = new Map<string, ScenarioSpec>();
  for (const s of def.tasks.flatMap((t) => t.scenarios)) if (!byWorkload.has(s.workload.name)) byWorkload.set(s.workload.name, s);
  const systems = [...byWorkload.values()].map(systemOf);
  return {
    slug: def.slug,
    title: def.title,
    harness: def.harness,
    seeds: def.seeds ?? 10,
    systems,
    errors: getHarness(def.harness).wireErrorCodes ? errorCodes : [],
    tasks: def.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      points: t.points ?? 1,
      scenarios: t.scenarios.map(scenarioReference),
      checks: t.checks.map((c) => ({ name: c.name, budgets: budgets(c) })),
    })),
  };
}
