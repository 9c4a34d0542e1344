/**
 * The consistent-hashing system: the learner's ring gets N nodes, then every key is looked up; a node
 * joins and every key is looked up again; a node leaves and again. Figures: keys per node (busiest over
 * the mean) and how many keys changed owner on each change, against the ideal K/N.
 */
import { hashText } from "../report/hash.ts";
import { round3 } from "../sim/requests/recorder.ts";
import { numberOption } from "./scenario.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";

const ADD = "addNode|s";
const REMOVE = "removeNode|s";
const LOOKUP = "lookup|s";

function sizes(options: Options) {
  return {
    nodes: numberOption(options, "nodes", 10),
    keys: numberOption(options, "keys", 20_000),
    virtualNodes: numberOption(options, "virtualNodes", 100),
  };
}

export const consistentHashing: ComponentSystem = {
  name: "consistent-hashing",
  summary: "your ring gets N nodes, then keys are looked up before and after a node joins and a node leaves",
  describe(scenario) {
    const s = sizes(scenario.workload.options ?? {});
    return [`${s.nodes} nodes, ${s.keys} keys (names drawn from the seed), virtualNodes option ${s.virtualNodes}`, `then one node joins, then one node leaves`];
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
    let calls = 0;
    const ring = port.create(undefined, { virtualNodes: s.virtualNodes });
    // A factory that threw is already a recorded error (the no-errors check reports it).
    if (ring === undefined) return { figures: {}, series: {}, recordHash: hashText("no ring"), events: calls, simulatedMs: 0 };
    for (const n of nodes) {
      calls++;
      port.call(ring, ADD, 0, 0, 0, n);
    }
    const record: string[] = [];
    let complained = false;
    /** Every key's owner as an index into `members` (−1 for an answer that is not a member). */
    const owners = (members: string[]): Int32Array => {
      const index = new Map(members.map((m, i) => [m, i]));
      const out = new Int32Array(keys.length);
      for (let k = 0; k < keys.length; k++) {
        calls++;
        const answer = port.call(ring, LOOKUP, 0, 0, 0, keys[k]!);
        const i = typeof answer === "string" ? index.get(answer) : undefined;
        if (i === undefined && !complained) {
          complained = true;
          port.complain(`lookup(${JSON.stringify(keys[k])}) returned ${JSON.stringify(answer)}, which is not one of the ${members.length} nodes on the ring`);
        }
        out[k] = i ?? -1;
      }
      record.push(Array.from(out).join(","));
      return out;
    };
    const before = owners(nodes);
    const counts = new Array<number>(nodes.length).fill(0);
    for (const o of before) if (o >= 0) counts[o]!++;
    const mean = keys.length / nodes.length;

    // Join: a new node. Only keys that now belong to it may move.
    let joiner = name();
    while (nodes.includes(joiner)) joiner = name();
    calls++;
    port.call(ring, ADD, 0, 0, 0, joiner);
    const joined = [...nodes, joiner];
    const afterJoin = owners(joined);
    let movedOnJoin = 0;
    let strayOnJoin = 0;
    for (let k = 0; k < keys.length; k++) {
      if (afterJoin[k] !== before[k]) {
        movedOnJoin++;
        if (afterJoin[k] !== joined.length - 1) strayOnJoin++;
      }
    }
    // Leave: one of the original nodes. Only its keys may move.
    const leaver = rng.int(nodes.length);
    calls++;
    port.call(ring, REMOVE, 0, 0, 0, nodes[leaver]!);
    const left = joined.filter((_, i) => i !== leaver);
    const afterLeave = owners(left);
    let movedOnLeave = 0;
    let strayOnLeave = 0;
    for (let k = 0; k < keys.length; k++) {
      const was = joined[afterJoin[k]!];
      const now = left[afterLeave[k]!];
      if (was !== now) {
        movedOnLeave++;
        if (was !== nodes[leaver]) strayOnLeave++;
      }
    }
    const figures: Record<string, number> = {
      nodes: nodes.length,
      keys: keys.length,
      balanceMaxOverMean: round3(Math.max(...counts) / mean),
      balanceMinOverMean: round3(Math.min(...counts) / mean),
      movedOnJoin,
      movedOnLeave,
      idealMovedOnJoin: Math.round(keys.length / joined.length),
      idealMovedOnLeave: Math.round(keys.length / joined.length),
      movedFraction: round3(Math.max(movedOnJoin, movedOnLeave) / keys.length),
      strayMoves: strayOnJoin + strayOnLeave,
    };
    return { figures, series: { keysPerNode: counts }, recordHash: hashText(record.join("|")), events: calls, simulatedMs: 0 };
  },
  checks: {
    /** Keys per node, busiest over the mean. Param: max. */
    balance(run, params) {
      const f = run.components.figures;
      const text = `the busiest of ${f.nodes} nodes owns ${f.balanceMaxOverMean}× the mean number of keys (the emptiest ${f.balanceMinOverMean}×)`;
      if (!(f.balanceMaxOverMean! <= (params.max ?? Infinity))) {
        return { ok: false, message: `${text}; the budget is ${params.max}×. One point per node leaves arcs of very different lengths: give each node many points (virtual nodes).` };
      }
      return { ok: true, message: text };
    },
    /** Keys that changed owner on a join and on a leave. Param: maxFactor (× the ideal K/N). */
    moved(run, params) {
      const f = run.components.figures;
      const factor = params.maxFactor ?? 1.5;
      const text = `a join moved ${f.movedOnJoin} keys and a leave ${f.movedOnLeave} (ideal about ${f.idealMovedOnJoin} each, of ${f.keys}); ${f.strayMoves} moved between nodes that did not change`;
      if (f.strayMoves! > 0) return { ok: false, message: `${text}. When a node joins, only keys it takes over may move; when one leaves, only its keys.` };
      if (f.movedOnJoin! > factor * f.idealMovedOnJoin! || f.movedOnLeave! > factor * f.idealMovedOnLeave!) {
        return { ok: false, message: `${text}; at most ${factor}× the ideal may move. hash(key) mod N moves almost every key when N changes.` };
      }
      return { ok: true, message: text };
    },
  },
};
