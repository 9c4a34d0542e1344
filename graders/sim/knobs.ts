import { createRng, type Rng } from "./prng.ts";
import { scriptProblems } from "./fault-script.ts";
import {
  blockedLinks,
  nodeIds,
  realmCount,
  type CrashPoint,
  type FaultEvent,
  type Knobs,
  type LatencySpec,
  type PartitionKind,
  type ScenarioSpec,
} from "./scenario.ts";

const crashPoints: readonly CrashPoint[] = ["after-storage-write", "after-send", "after-vote", "before-reply"];
const allPartitionKinds: PartitionKind[] = ["isolate-one", "majority-minority", "halves", "bridge", "one-way"];

/** Expands a scenario and a seed into every random choice of the run. Pure: same input, same knobs. */
export function expandKnobs(spec: ScenarioSpec, seed: number): Knobs {
  assertScenario(spec);
  const rng = createRng(seed, `knobs/${spec.name}`);
  const ids = nodeIds(realmCount(spec));
  const faults = spec.faults ?? {};
  const clocks: Knobs["clocks"] = {};
  const clockRng = rng.fork("clocks");
  for (const id of ids) {
    const skew = faults.clockSkewMsMax ?? 0;
    const drift = faults.clockDriftPpmMax ?? 0;
    const slowest = faults.clockDriftPpmMin ?? -drift;
    clocks[id] = {
      skewMs: skew ? Math.round(clockRng.uniform(-skew, skew)) : 0,
      // Without a min the range is ±max, drawn as it always was.
      driftPpm: drift || slowest ? Math.round(clockRng.uniform(slowest, drift)) : 0,
    };
  }
  const schedule: FaultEvent[] = [];
  if (faults.partitions) {
    const p = faults.partitions;
    const prng = rng.fork("partitions");
    const kinds = p.kinds?.length ? p.kinds : allPartitionKinds;
    let t = Math.round(prng.uniform(0.2, 1) * p.everyMs);
    while (t + 1 < spec.durationMs) {
      const kind = prng.pick(kinds);
      schedule.push({ atMs: t, kind: "partition", ...partition(kind, ids, prng) });
      const end = Math.min(t + p.lengthMs, spec.durationMs);
      schedule.push({ atMs: end, kind: "heal" });
      t = end + Math.max(1, Math.round(prng.exponential(p.everyMs)));
    }
  }
  for (const [name, spec2] of [
    ["crashes", faults.crashes ? { everyMs: faults.crashes.everyMs, lengthMs: faults.crashes.downMs } : undefined],
    ["pauses", faults.pauses],
  ] as const) {
    if (!spec2) continue;
    const frng = rng.fork(name);
    let t = Math.round(frng.uniform(0.2, 1) * spec2.everyMs);
    while (t + 1 < spec.durationMs) {
      const node = frng.pick(ids);
      const until = Math.min(t + spec2.lengthMs, spec.durationMs);
      if (name === "crashes") {
        // The first node is drawn as it always was, so that a scenario without atOnce keeps its knobs.
        const together = [node, ...pickOthers(ids, node, (faults.crashes!.atOnce ?? 1) - 1, frng)];
        for (const n of together) schedule.push({ atMs: t, kind: "crash", node: n });
        for (const n of together) schedule.push({ atMs: until, kind: "restart", node: n });
      } else {
        schedule.push({ atMs: t, kind: "pause", node, untilMs: until });
      }
      t = until + Math.max(1, Math.round(frng.exponential(spec2.everyMs)));
    }
  }
  if (faults.targetedCrashes) {
    // A stream of its own, so that adding targeted crashes to a scenario leaves its other faults as they were.
    const t0 = faults.targetedCrashes;
    const trng = rng.fork("targeted-crashes");
    const nthMax = t0.nthMax ?? 3;
    let t = Math.round(trng.uniform(0.2, 1) * t0.everyMs);
    while (t + 1 < spec.durationMs) {
      const node = trng.pick(ids);
      const point = trng.pick(t0.at);
      const nth = 1 + trng.int(nthMax);
      schedule.push({ atMs: t, kind: "crash-point", node, point, nth, downMs: t0.downMs });
      t += Math.max(1, Math.round(trng.exponential(t0.everyMs)));
    }
  }
  if (faults.latencySpikes) {
    // A stream of its own, as for targeted crashes: adding spikes leaves a scenario's other faults as they were.
    const s = faults.latencySpikes;
    const srng = rng.fork("latency-spikes");
    let t = Math.round(srng.uniform(0.2, 1) * s.everyMs);
    while (t + 1 < spec.durationMs) {
      const until = Math.min(t + s.lengthMs, spec.durationMs);
      schedule.push({ atMs: t, kind: "slow", untilMs: until, extraMeanMs: s.extraMeanMs });
      t = until + Math.max(1, Math.round(srng.exponential(s.everyMs)));
    }
  }
  // Stable order: by time, then by the order they were drawn (Array.prototype.sort is stable).
  schedule.sort((a, b) => a.atMs - b.atMs);
  return {
    seed,
    nodeIds: ids,
    latency: spec.network.latency,
    lossRate: spec.network.lossRate ?? 0,
    duplicateRate: spec.network.duplicateRate ?? 0,
    clocks,
    faults: schedule,
  };
}

/** `count` distinct nodes other than `first`, drawn from the seed. */
function pickOthers(ids: readonly string[], first: string, count: number, rng: Rng): string[] {
  const rest = ids.filter((id) => id !== first);
  const out: string[] = [];
  for (let i = 0; i < count && rest.length > 0; i++) out.push(...rest.splice(rng.int(rest.length), 1));
  return out;
}

function partition(kind: PartitionKind, ids: string[], rng: Rng): { label: string; blocked: Array<[string, string]> } {
  const shuffled = [...ids];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const show = (groups: string[][]) => groups.map((g) => `{${g.join(" ")}}`).join(" | ");
  switch (kind) {
    case "isolate-one": {
      const groups = [shuffled.slice(0, 1), shuffled.slice(1)];
      return { label: `isolate-one ${show(groups)}`, blocked: blockedLinks(groups) };
    }
    case "majority-minority":
    case "halves": {
      const cut = kind === "halves" ? Math.floor(ids.length / 2) : Math.floor((ids.length - 1) / 2);
      const groups = [shuffled.slice(0, Math.max(1, cut)), shuffled.slice(Math.max(1, cut))];
      return { label: `${kind} ${show(groups)}`, blocked: blockedLinks(groups) };
    }
    case "one-way": {
      const groups = [shuffled.slice(0, Math.max(1, Math.floor(ids.length / 2))), shuffled.slice(Math.max(1, Math.floor(ids.length / 2)))];
      return { label: `one-way ${show(groups)} (first cannot reach second)`, blocked: blockedLinks(groups, true) };
    }
    case "bridge": {
      // Two halves that cannot talk, and one bridge node that talks to both.
      if (ids.length < 3) return partition("isolate-one", ids, rng);
      const bridge = shuffled[0]!;
      const rest = shuffled.slice(1);
      const half = Math.floor(rest.length / 2);
      const groups = [rest.slice(0, half), rest.slice(half)];
      return { label: `bridge ${show(groups)} via ${bridge}`, blocked: blockedLinks(groups) };
    }
  }
}

/** A function that draws one message latency: the distribution is decided once, not on every message. */
export function latencySampler(spec: LatencySpec, rng: Rng): () => number {
  switch (spec.dist) {
    case "constant": {
      const ms = spec.ms;
      return () => ms;
    }
    case "uniform": {
      const { minMs, maxMs } = spec;
      return () => rng.uniform(minMs, maxMs);
    }
    case "exponential": {
      const minMs = spec.minMs ?? 0;
      const meanMs = spec.meanMs;
      return () => minMs + rng.exponential(meanMs);
    }
  }
}

export function describeLatency(spec: LatencySpec): string {
  switch (spec.dist) {
    case "constant":
      return `${spec.ms} ms`;
    case "uniform":
      return `uniform ${spec.minMs}–${spec.maxMs} ms`;
    case "exponential":
      return `${spec.minMs ?? 0} ms + exponential mean ${spec.meanMs} ms`;
  }
}

export function assertScenario(spec: ScenarioSpec): void {
  const problems: string[] = [];
  const realms = realmCount(spec);
  if (spec.nodes !== undefined && spec.realms !== undefined) problems.push("a scenario has nodes (node harness) or realms (component harness), not both");
  else if (!Number.isInteger(realms) || realms < 1 || realms > 100) problems.push(`${spec.realms !== undefined ? "realms" : "nodes"} must be 1…100`);
  if (!(spec.durationMs > 0) || spec.durationMs > 600_000) problems.push("durationMs must be in (0, 600000]");
  if (!(spec.workload.rate > 0)) problems.push("workload.rate must be > 0");
  const loss = spec.network.lossRate ?? 0;
  if (loss < 0 || loss >= 1) problems.push("network.lossRate must be in [0, 1)");
  const atOnce = spec.faults?.crashes?.atOnce;
  if (atOnce !== undefined && (!Number.isInteger(atOnce) || atOnce < 1 || atOnce > realms)) problems.push("faults.crashes.atOnce must be a whole number from 1 to the number of nodes");
  const driftMax = spec.faults?.clockDriftPpmMax ?? 0;
  const driftMin = spec.faults?.clockDriftPpmMin ?? -driftMax;
  if (!(driftMin >= -500_000 && driftMin <= driftMax && driftMax <= 500_000)) problems.push("faults.clockDriftPpmMin must be ≤ clockDriftPpmMax, both within ±500000 ppm");
  const spikes = spec.faults?.latencySpikes;
  if (spikes && !(spikes.everyMs > 0 && spikes.lengthMs > 0 && spikes.extraMeanMs > 0)) problems.push("faults.latencySpikes needs everyMs, lengthMs and extraMeanMs > 0");
  const targeted = spec.faults?.targetedCrashes;
  if (targeted) {
    if (!(targeted.everyMs > 0)) problems.push("faults.targetedCrashes.everyMs must be > 0");
    if (!Number.isInteger(targeted.downMs) || targeted.downMs < 1) problems.push("faults.targetedCrashes.downMs must be a whole number of ms ≥ 1");
    if (!targeted.at.length || targeted.at.some((p) => !crashPoints.includes(p))) problems.push(`faults.targetedCrashes.at must list some of ${crashPoints.join(", ")}`);
    if (targeted.nthMax !== undefined && (!Number.isInteger(targeted.nthMax) || targeted.nthMax < 1)) problems.push("faults.targetedCrashes.nthMax must be a whole number ≥ 1");
  }
  if (spec.faults?.script) problems.push(...scriptProblems(spec.faults.script, nodeIds(realms)));
  if (problems.length) throw new Error(`scenario "${spec.name}": ${problems.join("; ")}`);
}
