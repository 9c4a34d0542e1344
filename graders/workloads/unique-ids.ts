import { formatMs } from "../report/format.ts";
import { runClients } from "./client.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { diagnosedGenericChecks, explain } from "./diagnose.ts";
import type { NodeRunData, Workload } from "./types.ts";
import type { ClientOperation } from "../sim/history.ts";

/** unique-ids: `generate` returns an id that no other generate_ok, on any node, ever returned. */
export const uniqueIds: Workload = {
  name: "unique-ids",
  summary: 'Reply to {type: "generate"} with {type: "generate_ok", id: <unique across the cluster>}.',
  rpcs: [{ request: '{type: "generate"}', reply: '{type: "generate_ok", id: string | number}' }],
  driver(api, spec) {
    // A hot node (behind a busier balancer) gets this share of the requests: one node can then hand out very
    // many ids in a short run, which is what exposes a scheme with a bound per node.
    const hotShare = Number(spec.options?.hotNodeShare ?? 0);
    const pickNode = () => (hotShare > 0 && api.rng.chance(hotShare) ? api.nodeIds[0]! : api.rng.pick(api.nodeIds));
    return {
      start: () =>
        runClients(api, spec, () => ({
          node: pickNode(),
          f: "generate",
          value: null,
          body: { type: "generate" },
          readValue: (reply) => reply.id,
        })),
      final: () => {},
    };
  },
  checks: {
    ...diagnosedGenericChecks(),
    /** No id is handed out twice; ids are strings or numbers. */
    unique(run) {
      const ops = completedOps(run.history).filter((op) => op.status === "ok");
      // Keyed by the id itself: a string and a number never meet (as their JSON texts never do), and every
      // number JSON writes as null (NaN, ±Infinity) under the one key null, which no id can be.
      const seen = new Map<string | number | null, ClientOperation>();
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        if (typeof op.output !== "string" && typeof op.output !== "number") {
          return { ok: false, message: `${op.node} answered generate_ok with id ${JSON.stringify(op.output) ?? "missing"}: an id must be a string or a number.` };
        }
        const id = typeof op.output === "number" && !Number.isFinite(op.output) ? null : op.output;
        const first = seen.get(id);
        if (first) {
          const key = JSON.stringify(op.output);
          return {
            ok: false,
            message: `id ${key} was generated twice: by ${first.node} at ${formatMs(first.returnMs)} and by ${op.node} at ${formatMs(op.returnMs)}. ${explainRepeat(run, first, op, idsByNode(ops.slice(0, i)), ops)}`,
          };
        }
        seen.set(id, op);
      }
      if (ops.length === 0) {
        const all = completedOps(run.history);
        return { ok: false, message: explain(run, `No generate request completed ok (${all.length} were sent).`, 'Answer each with node.reply(msg, {type: "generate_ok", id}).', { ops: all }) };
      }
      return { ok: true, message: `${ops.length} ids, all distinct`, metrics: { ids: ops.length } };
    },
  },
};

/** Each node's ids, in order: how far a scheme got, and what its ids look like. */
function idsByNode(ops: readonly ClientOperation[]): Map<string, ClientOperation[]> {
  const byNode = new Map<string, ClientOperation[]>();
  for (const op of ops) {
    const mine = byNode.get(op.node);
    if (mine) mine.push(op);
    else byNode.set(op.node, [op]);
  }
  return byNode;
}

/** Past this many ids from one node, a repeat points at a scheme with a bound (a range, a width) rather than at chance. */
const boundedSchemeIds = 500;
/** A repeat this soon after a node came back (in its ids) is the crash's doing: a node that lost its place. */
const afterRestartIds = 1000;

/**
 * Why an id came back, from what the run shows: a crash just before, what the node's ids look like (clock
 * readings, random numbers), how many ids came first, and whether two nodes were involved.
 */
function explainRepeat(run: NodeRunData, first: ClientOperation, again: ClientOperation, byNode: ReadonlyMap<string, readonly ClientOperation[]>, ops: readonly ClientOperation[]): string {
  const mine = byNode.get(again.node) ?? [];
  const restart = lastRestart(run, again.node, first.invokeMs, again.invokeMs);
  if (restart && mine.filter((op) => op.returnMs >= restart.atMs).length <= afterRestartIds) {
    return `${again.node} crashed at ${formatMs(restart.crashMs)}, between the two, and repeated the id soon after it came back: memory is lost in a crash, \`node.storage\` survives. Whatever makes ids unique over time (a counter, the last clock reading) must be stored before the id is handed out, or each life of the node must start somewhere new.`;
  }
  const shape = idShape(sampleAround(ops, again));
  if (shape === "clock") {
    return first.node === again.node
      ? "The id is the node's clock reading: two requests in the same millisecond get the same one. A clock alone is not unique; add a counter."
      : "The id is a clock reading, and two nodes' clocks read the same millisecond. Add the node id, and a counter for requests within one millisecond.";
  }
  const count = Math.max(byNode.get(first.node)?.length ?? 0, mine.length);
  if (shape === "random") {
    return `The ids look random: ${count.toLocaleString("en")} ids drawn from N values repeat with a probability of about n²/2N (the birthday bound), likely well before 2³² values run out. Random ids need many more bits, or none: a node id and a counter never repeat.`;
  }
  if (count >= boundedSchemeIds) {
    const where = first.node === again.node ? `${again.node} repeated itself` : `${first.node}'s and ${again.node}'s ids met`;
    return `${where} after ${count.toLocaleString("en")} ids from one node: a scheme with a bound runs out. A counter of fixed width wraps (16 bits after 65,536), a fixed range per node (node × 1000 + counter) runs into the next node's. Leave the id space unbounded: the string \`\${node.id}-\${counter}\` never runs out.`;
  }
  return first.node !== again.node
    ? "Ids must be unique across nodes without coordination: combine something only this node has (node.id) with something that never repeats on it (a counter)."
    : "The same node handed it out twice: whatever makes ids unique over time on one node (a counter) must move on with every id.";
}

/** The last time `node` came back from a crash between two moments, with when it went down. */
function lastRestart(run: NodeRunData, node: string, fromMs: number, toMs: number): { crashMs: number; atMs: number } | undefined {
  let found: { crashMs: number; atMs: number } | undefined;
  let downMs: number | undefined;
  for (const f of run.knobs.faults) {
    if (!("node" in f) || f.node !== node) continue;
    if (f.kind === "crash") downMs = f.atMs;
    // A targeted crash strikes when the node gets there: from when it was armed is the earliest it can have.
    else if (f.kind === "crash-point" && f.atMs > fromMs && f.atMs < toMs) found = { crashMs: f.atMs, atMs: f.atMs };
    else if (f.kind === "restart" && downMs !== undefined) {
      if (downMs > fromMs && f.atMs < toMs) found = { crashMs: downMs, atMs: f.atMs };
      downMs = undefined;
    }
  }
  return found;
}

/** Up to `shapeSampleIds` ids the node of `op` handed out around it, from the whole run: enough to tell a shape. */
function sampleAround(ops: readonly ClientOperation[], op: ClientOperation): ClientOperation[] {
  const mine = ops.filter((o) => o.node === op.node);
  const at = mine.indexOf(op);
  const from = Math.max(0, Math.min(at - shapeSampleIds / 2, mine.length - shapeSampleIds));
  return mine.slice(from, from + shapeSampleIds);
}

/**
 * What a node's ids look like: clock readings (each id minus the time it was handed out stays put while
 * time moves on), random (spread over a range far wider than their count), or neither.
 */
function idShape(sample: readonly ClientOperation[]): "clock" | "random" | "other" {
  const points = sample.map((op) => ({ n: lastNumber(op.output), atMs: op.returnMs }));
  if (points.length < shapeSampleIdsMin || points.some((x) => x.n === undefined || !Number.isFinite(x.n))) return "other";
  const offsets = points.map((x) => x.n! - x.atMs);
  const times = points.map((x) => x.atMs);
  const moved = Math.max(...times) > Math.min(...times);
  if (moved && Math.max(...offsets) - Math.min(...offsets) <= clockSlackMs) return "clock";
  const values = points.map((x) => x.n!);
  // A counter's or a clock's ids lie within a few times their count of each other; random ones do not.
  return Math.max(...values) - Math.min(...values) >= randomSpreadPerId * points.length ? "random" : "other";
}
const shapeSampleIds = 50;
const shapeSampleIdsMin = 5;
const randomSpreadPerId = 10_000;
/** How far an id may stray from the time it was handed out and still read as a clock reading (latency, one tick). */
const clockSlackMs = 25;

/** The id as a number, or the last run of digits in it ("n1-2041" → 2041: the node's own digits come first). */
function lastNumber(id: unknown): number | undefined {
  if (typeof id === "number") return id;
  const digits = String(id).match(/\d+/g)?.at(-1);
  return digits === undefined ? undefined : Number(digits);
}
