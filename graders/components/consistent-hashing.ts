/**
 * The consistent-hashing system: the learner's ring gets N nodes, then every key is looked up; a node
 * joins and every key is looked up again; one of the first nodes leaves and again. Figures: keys per
 * node (fullest and emptiest over the mean) in each of the three states, since a ring can be even
 * before a change and lopsided after it, and how many keys changed owner on each change, against the
 * ideal K/N. The checks name the likeliest cause from what the run shows (almost every key moved, keys
 * moved between nodes that stayed, a spread that fits fewer points than asked for), not one canned hint.
 */
import { hashText } from "../report/hash.ts";
import { round3 } from "../sim/requests/recorder.ts";
import { componentErrorsCheck } from "./checks.ts";
import { numberOption } from "./scenario.ts";
import type { ComponentPort } from "./port.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";

const ADD = "addNode|s";
const REMOVE = "removeNode|s";
const LOOKUP = "lookup|s";

/** The three states the keys are looked up in, as the messages name them. */
const phaseNames = ["before any change", "after a node joined", "after a node left"] as const;

function sizes(options: Options) {
  return {
    nodes: numberOption(options, "nodes", 10),
    keys: numberOption(options, "keys", 20_000),
    virtualNodes: numberOption(options, "virtualNodes", 100),
  };
}

/** Answers of lookup() that name no node on the ring, per state: counted, and the first one kept as evidence. */
interface Unreadable {
  count: number;
  first?: { key: string; answer: unknown };
}

/**
 * The owner of every key as an index into `members` (−1 for an answer that names no member). Every
 * answer the system cannot use is counted, none is dropped silently: one error per state says how many
 * and shows the first.
 */
function lookUpAll(port: ComponentPort, ring: number, keys: readonly string[], members: readonly string[], unreadable: Unreadable): Int32Array {
  const index = new Map(members.map((m, i) => [m, i]));
  const out = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const answer = port.call(ring, LOOKUP, 0, 0, 0, keys[k]!);
    const i = typeof answer === "string" ? index.get(answer) : undefined;
    if (i === undefined) {
      unreadable.count++;
      unreadable.first ??= { key: keys[k]!, answer };
    }
    out[k] = i ?? -1;
  }
  return out;
}

function describeUnreadable(phase: string, u: Unreadable, keys: number, members: readonly string[], left: string | undefined): string {
  const { key, answer } = u.first!;
  const why =
    answer === left
      ? `, the node that left: removeNode(${JSON.stringify(left)}) must take away every point of that node`
      : typeof answer === "string"
        ? `, which is not one of the ${members.length} nodes on the ring (they are named like ${JSON.stringify(members[0])}: return the name given to addNode, not a point's label)`
        : answer === undefined
          ? ` nothing: lookup must return the owner's name`
          : `, a ${typeof answer}: lookup must return the owner's name, a string`;
  return `${phase}, lookup() named no node on the ring for ${u.count} of ${keys} keys; the first: lookup(${JSON.stringify(key)}) returned ${answer === undefined ? "" : JSON.stringify(answer)}${why}`;
}

/** Keys per member, with −1 (no member) left out. */
function countKeys(owners: Int32Array, members: number): number[] {
  const counts = new Array<number>(members).fill(0);
  for (const o of owners) if (o >= 0) counts[o]!++;
  return counts;
}

/**
 * How many points per node a ring would need to spread keys as unevenly as `counts` do. With P points
 * per node a node's share of the ring has a coefficient of variation of about 1/√P (a sum of P arcs);
 * sampling K keys adds about 1/mean to the squared one. Infinity when the spread is no more than the
 * sampling alone (rendezvous hashing, a perfectly even ring).
 */
function pointsLike(counts: readonly number[]): number {
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  if (!(mean > 0)) return 0;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / counts.length;
  const shareCv2 = variance / (mean * mean) - 1 / mean;
  return shareCv2 > 0 ? 1 / shareCv2 : Infinity;
}

export const consistentHashing: ComponentSystem = {
  name: "consistent-hashing",
  summary: "your ring gets N nodes, then keys are looked up before and after a node joins and a node leaves",
  describe(scenario) {
    const s = sizes(scenario.workload.options ?? {});
    return [`${s.nodes} nodes, ${s.keys} keys (names drawn from the seed), virtualNodes option ${s.virtualNodes}`, `then one node joins, then one of the first ${s.nodes} leaves`];
  },
  run(ctx): SystemOutcome {
    const s = sizes(ctx.options);
    const { port } = ctx;
    const rng = ctx.rng.fork("names");
    const name = () => `10.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}:6379`;
    const nodes: string[] = [];
    while (nodes.length < s.nodes) {
      const n = name();
      if (!nodes.includes(n)) nodes.push(n);
    }
    const keys = Array.from({ length: s.keys }, () => `user:${rng.int(2 ** 30).toString(36)}${rng.int(2 ** 30).toString(36)}`);
    const ring = port.create(undefined, { virtualNodes: s.virtualNodes });
    // A factory that threw is already a recorded error (the no-errors check reports it).
    if (ring === undefined) return { figures: {}, series: {}, recordHash: hashText("no ring"), events: 0, simulatedMs: 0 };
    let calls = 0;
    for (const n of nodes) port.call(ring, ADD, 0, 0, 0, n);
    calls += nodes.length;

    const unreadable: Unreadable[] = [{ count: 0 }, { count: 0 }, { count: 0 }];
    const before = lookUpAll(port, ring, keys, nodes, unreadable[0]!);

    // Join: a new node. Only keys that now belong to it may move.
    let joiner = name();
    while (nodes.includes(joiner)) joiner = name();
    port.call(ring, ADD, 0, 0, 0, joiner);
    const joined = [...nodes, joiner];
    const afterJoin = lookUpAll(port, ring, keys, joined, unreadable[1]!);

    // Leave: one of the original nodes. Only its keys may move.
    const leaver = rng.int(nodes.length);
    port.call(ring, REMOVE, 0, 0, 0, nodes[leaver]!);
    const left = joined.filter((_, i) => i !== leaver);
    const afterLeave = lookUpAll(port, ring, keys, left, unreadable[2]!);
    calls += 2 + 3 * keys.length;

    const memberSets = [nodes, joined, left];
    unreadable.forEach((u, p) => {
      if (u.count) port.complain(describeUnreadable(phaseNames[p]!, u, keys.length, memberSets[p]!, p === 2 ? nodes[leaver] : undefined));
    });

    // Moves, counted only between two readable answers (an unreadable one is the error above).
    let movedOnJoin = 0, strayOnJoin = 0, movedOnLeave = 0, strayOnLeave = 0;
    const joinerIndex = joined.length - 1;
    for (let k = 0; k < keys.length; k++) {
      if (before[k]! >= 0 && afterJoin[k]! >= 0 && afterJoin[k] !== before[k]) {
        movedOnJoin++;
        if (afterJoin[k] !== joinerIndex) strayOnJoin++;
      }
      if (afterJoin[k]! >= 0 && afterLeave[k]! >= 0) {
        const was = joined[afterJoin[k]!];
        if (was !== left[afterLeave[k]!]) {
          movedOnLeave++;
          if (was !== nodes[leaver]) strayOnLeave++;
        }
      }
    }

    const counts = [countKeys(before, nodes.length), countKeys(afterJoin, joined.length), countKeys(afterLeave, left.length)];
    const maxOverMean = counts.map((c) => Math.max(...c) / (keys.length / c.length));
    const minOverMean = counts.map((c) => Math.min(...c) / (keys.length / c.length));
    const worst = maxOverMean.indexOf(Math.max(...maxOverMean));
    const emptiest = minOverMean.indexOf(Math.min(...minOverMean));
    const ideal = Math.round(keys.length / joined.length);
    const figures: Record<string, number> = {
      nodes: nodes.length,
      keys: keys.length,
      virtualNodes: s.virtualNodes,
      balanceMaxOverMean: round3(maxOverMean[worst]!),
      balanceMinOverMean: round3(minOverMean[emptiest]!),
      balanceMaxBefore: round3(maxOverMean[0]!),
      balanceMaxAfterJoin: round3(maxOverMean[1]!),
      balanceMaxAfterLeave: round3(maxOverMean[2]!),
      /** Which state (0 before, 1 after the join, 2 after the leave) had the fullest node, and the emptiest. */
      balanceWorstPhase: worst,
      balanceEmptiestPhase: emptiest,
      /** The spread of the worst state, as the number of points per node a ring would need to show it. */
      pointsPerNodeLike: round3(Math.min(1e6, pointsLike(counts[worst]!))),
      joinerKeys: counts[1]![joinerIndex]!,
      leaverKeys: counts[1]![leaver]!,
      movedOnJoin,
      movedOnLeave,
      idealMovedOnJoin: ideal,
      idealMovedOnLeave: ideal,
      movedFraction: round3(Math.max(movedOnJoin, movedOnLeave) / keys.length),
      strayOnJoin,
      strayOnLeave,
      strayMoves: strayOnJoin + strayOnLeave,
      unreadableAnswers: unreadable.reduce((a, u) => a + u.count, 0),
    };
    const record = [before, afterJoin, afterLeave].map((o) => Array.from(o).join(",")).join("|");
    return { figures, series: { keysPerNode: counts[0]!, keysPerNodeAfterJoin: counts[1]!, keysPerNodeAfterLeave: counts[2]! }, recordHash: hashText(record), events: calls, simulatedMs: 0 };
  },
  checks: {
    // Its place: the ring has no clock worth naming (lookups take no simulated time).
    "no-errors": componentErrorsCheck(() => "the ring"),
    /**
     * Keys per node in each state, fullest over the mean. Param: max. The emptiest is reported, not
     * judged: correct schemes differ there (multi-probe hashing leaves some nodes nearly idle), and an
     * idle node costs capacity, where an overfull one is what falls over.
     */
    balance(run, params) {
      const f = run.components.figures;
      const max = params.max ?? Infinity;
      if (f.unreadableAnswers! > 0) return { ok: false, message: unjudged(f) };
      const states = `before any change ${f.balanceMaxBefore}×, after the join ${f.balanceMaxAfterJoin}×, after the leave ${f.balanceMaxAfterLeave}×`;
      const text = `the fullest of the nodes owned ${f.balanceMaxOverMean}× the mean number of keys ${phaseNames[f.balanceWorstPhase!]} (${states}); the emptiest ${f.balanceMinOverMean}× ${phaseNames[f.balanceEmptiestPhase!]}`;
      if (!(f.balanceMaxOverMean! > max)) return { ok: true, message: text };
      return { ok: false, message: `${text}; the fullest may own at most ${max}×. ${balanceCause(f)}` };
    },
    /** Keys that changed owner on a join and on a leave. Param: maxFactor (× the ideal K/N). */
    moved(run, params) {
      const f = run.components.figures;
      const factor = params.maxFactor ?? 1.5;
      const text = `a join moved ${f.movedOnJoin} keys and a leave ${f.movedOnLeave} (ideal about ${f.idealMovedOnJoin} each, of ${f.keys}); ${f.strayMoves} moved between two nodes that both stayed`;
      if (f.unreadableAnswers! > 0) return { ok: false, message: unjudged(f) };
      const most = 0.5 * f.keys!;
      if (f.movedOnJoin! > most && f.movedOnLeave! > most) {
        return { ok: false, message: `${text}. Almost every key changed owner when one node of ${f.nodes! + 1} came or went: that is what hash(key) mod N does when N changes. On a ring each node owns the arcs that end at its points, so a join or a leave only touches the arcs next to that node's points.` };
      }
      if (f.strayMoves! > 0) {
        const which = f.strayOnJoin === 0 ? " The join was clean, and a node that left from the middle of the list is what moved the others: do a node's points depend on its position?" : f.strayOnLeave === 0 ? " The leave was clean; the join is what moved the others." : "";
        return { ok: false, message: `${text} (${f.strayOnJoin} on the join, ${f.strayOnLeave} on the leave). When a node joins only keys it takes over may move, and when one leaves only its own: a node's points must follow from its name alone, not from its place in a list, the order of joins or the number of nodes.${which}` };
      }
      if (f.movedOnJoin === 0) {
        return { ok: false, message: `${text}. The node that joined took no key at all: after addNode its points must be on the ring at once (a lookup cache must forget what a join changes).` };
      }
      if (f.movedOnJoin! > factor * f.idealMovedOnJoin! || f.movedOnLeave! > factor * f.idealMovedOnLeave!) {
        const which = f.movedOnJoin! > factor * f.idealMovedOnJoin! ? `the node that joined took ${f.joinerKeys} keys` : `the node that left had ${f.leaverKeys} keys`;
        return { ok: false, message: `${text}; at most ${factor}× the ideal may move. Only the right keys moved, but ${which}: one node's points cover too much of the ring. Many points per node (virtual nodes) make every node's share, and so every move, close to K/N.` };
      }
      return { ok: true, message: text };
    },
  },
};

/** For balance and moves when some answers named no node: what was counted would mislead. */
function unjudged(f: Record<string, number>): string {
  return `lookup() named no node on the ring for ${f.unreadableAnswers} of ${3 * f.keys!} lookups (no-errors shows the first), so keys per node and moves cannot be counted: lookup must return one of the names given to addNode.`;
}

/** Why keys are spread unevenly, from the run's figures: the joiner's share, then the spread's size. */
function balanceCause(f: Record<string, number>): string {
  const mean = f.keys! / (f.nodes! + 1);
  if (f.joinerKeys! < 0.2 * mean) {
    return `The node that joined owns only ${f.joinerKeys} keys (the mean is ${Math.round(mean)}): its points did not all reach the ring, or lookup answers from a cache that addNode does not clear.`;
  }
  const like = f.pointsPerNodeLike!;
  if (like < 3) return `Keys are spread as unevenly as with one or two points per node: with one point each, arcs have very different lengths. Give each node many points (virtual nodes).`;
  if (like < 0.5 * f.virtualNodes!) {
    return `Keys are spread about as unevenly as a ring with ${Math.round(like)} points per node would spread them, though virtualNodes is ${f.virtualNodes}: give every node all ${f.virtualNodes} points, and hash them with a function that mixes its bits (FNV-1a alone leaves names that differ in one character close together on the ring).`;
  }
  const points = Number.isFinite(like) && like < 1e6 ? `about ${Math.round(like)}` : "very many";
  return `Keys are spread as a ring with ${points} points per node would spread them (virtualNodes is ${f.virtualNodes}), yet the fullest node stands out: look for points of one node bunched together, which a hash that maps similar names to nearby values gives.`;
}
