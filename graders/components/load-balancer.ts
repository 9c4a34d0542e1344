/**
 * The load-balancer system: open-loop clients (one of them possibly hot) send requests through the
 * learner's Balancer to backend servers that differ in speed, may slow down, and may fail and come back.
 * A health checker probes every server on a period and tells the balancer what changed. A request sent
 * to a down server is refused at once; requests inside a server that fails are lost. Where a task says
 * so, servers also answer a share of requests with an error, and a share of replies are lost on the way
 * back (the client times out): every outcome done() can report then happens, whatever the balancer does.
 *
 * Figures are measured over the run and in the windows where a fault acts: during an outage (on the
 * servers still up) and after the failed servers came back (on all of them), since a whole-run average
 * hides a server that took twice its share for three seconds.
 */
import { createArrivals } from "../sim/requests/arrivals.ts";
import { serviceSampler, type ServiceTimeSpec } from "../sim/requests/distributions.ts";
import { DeadlineQueue, RequestLoop } from "../sim/requests/engine.ts";
import { JobTable } from "../sim/requests/jobs.ts";
import { ERROR, DROPPED, OK, Recorder, TIMEOUT, round1, round3, type Outcome } from "../sim/requests/recorder.ts";
import { Station } from "../sim/requests/station.ts";
import { formatMs } from "../report/format.ts";
import { requestChecks } from "./checks.ts";
import { requestOutcome } from "./outcome.ts";
import { PhaseLatencies } from "./phases.ts";
import { listOption, numberOption } from "./scenario.ts";
import { createRng } from "../sim/prng.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";

interface LbConfig {
  strategy: string;
  servers: number;
  weights: number[];
  speeds: number[];
  slots: number;
  queueMax: number;
  service: ServiceTimeSpec;
  clients: number;
  hotShare: number;
  /** Servers that fail together (one failure domain: a rack or a zone), by index. */
  failServers: number[];
  failAtMs: number;
  recoverAtMs: number;
  slowServer: number;
  slowAtMs: number;
  slowFactor: number;
  healthEveryMs: number;
  /** Per server, the share of requests it answers with an error after serving them. */
  errorShares: number[];
  /** Share of requests whose reply is lost after service: the client times out. */
  lostShare: number;
}

function config(options: Options): LbConfig {
  const servers = numberOption(options, "servers", 4);
  const weights = listOption(options, "weights", servers, 1);
  const serviceMs = numberOption(options, "serviceMs", 10);
  const sigma = numberOption(options, "sigma", 0);
  return {
    strategy: String(options.strategy ?? "roundRobin"),
    servers,
    weights,
    speeds: options.speeds === undefined ? weights : listOption(options, "speeds", servers, 1),
    slots: numberOption(options, "slots", 1),
    queueMax: numberOption(options, "queueMax", 1000),
    service: sigma > 0 ? { dist: "lognormal", medianMs: serviceMs, sigma } : { dist: "exponential", meanMs: serviceMs },
    clients: numberOption(options, "clients", 100),
    hotShare: numberOption(options, "hotShare", 0),
    failServers: String(options.failServers ?? "").split(",").filter((x) => x.trim() !== "").map(Number).filter((i) => Number.isInteger(i) && i >= 0 && i < servers),
    failAtMs: numberOption(options, "failAtMs", Infinity),
    recoverAtMs: numberOption(options, "recoverAtMs", Infinity),
    slowServer: numberOption(options, "slowServer", -1),
    slowAtMs: numberOption(options, "slowAtMs", Infinity),
    slowFactor: numberOption(options, "slowFactor", 1),
    healthEveryMs: numberOption(options, "healthEveryMs", 250),
    errorShares: listOption(options, "errorShares", servers, numberOption(options, "errorShare", 0)),
    lostShare: numberOption(options, "lostShare", 0),
  };
}

const PICK = "pick|n";
const DONE = "?done|nnb";
const HEALTH = "?health|nb";

const loadBalancerName = "load-balancer";

export const loadBalancer: ComponentSystem = {
  name: loadBalancerName,
  summary: "clients → your balancer's pick(client) → backend servers (c slots, a FIFO queue, random service times); done() and health() tell it what happened",
  describe(scenario, seed) {
    const c = config(scenario.workload.options ?? {});
    // The same streams run() draws from (the engine's system stream for this seed): the knobs are the run's own.
    const rng = createRng(seed, `system/${loadBalancerName}`);
    const hot = c.hotShare ? distinctIds(c.clients, rng.fork("client-ids"))[0] : undefined;
    const healthFirstMs = rng.fork("health").next() * c.healthEveryMs;
    const lines = [
      `strategy ${c.strategy}: ${c.servers} servers (weights ${c.weights.join(", ")}; speeds ${c.speeds.join(", ")}), ${c.slots} slot${c.slots > 1 ? "s" : ""} each, service ${c.service.dist === "lognormal" ? `lognormal median ${c.service.medianMs} ms σ ${c.service.sigma}` : `exponential mean ${(c.service as { meanMs: number }).meanMs} ms`}`,
      `${scenario.workload.rate} requests/s (Poisson) from ${c.clients} clients${hot !== undefined ? `, client ${hot} sends ${Math.round(c.hotShare * 100)}% of them` : ""}; health checks every ${c.healthEveryMs} ms, the first at ${formatMs(healthFirstMs)}`,
    ];
    if (c.failServers.length) {
      const which = c.failServers.length === 1 ? `server ${c.failServers[0]}` : `servers ${c.failServers.join(", ")} (one zone)`;
      lines.push(`${which} fail${c.failServers.length === 1 ? "s" : ""} at ${formatMs(c.failAtMs)} and come${c.failServers.length === 1 ? "s" : ""} back at ${formatMs(c.recoverAtMs)}`);
    }
    if (c.slowServer >= 0) lines.push(`server ${c.slowServer} becomes ${c.slowFactor}× slower at ${formatMs(c.slowAtMs)}`);
    if (c.errorShares.some((x) => x > 0) || c.lostShare) {
      const same = c.errorShares.every((x) => x === c.errorShares[0]);
      const errors = same ? `servers answer ${pct(c.errorShares[0]!)} of requests with an error` : `servers answer ${c.errorShares.map((x, i) => `s${i + 1} ${pct(x)}`).join(", ")} of their requests with an error`;
      lines.push(`${errors}, and ${pct(c.lostShare)} of replies are lost (the client times out after ${formatMs(scenario.workload.timeoutMs ?? defaultTimeoutMs)})`);
    }
    return lines;
  },
  run(ctx): SystemOutcome {
    const c = config(ctx.options);
    const { port } = ctx;
    const durationMs = ctx.scenario.durationMs;
    const timeoutMs = ctx.scenario.workload.timeoutMs ?? defaultTimeoutMs;
    const loop = new RequestLoop();
    const jobs = new JobTable("client", "server");
    const recorder = new Recorder();
    const n = c.servers;
    const sent = new Float64Array(n);
    // Stickiness is measured only for the strategy that promises it.
    const sticky = c.strategy === "ipHash";
    const homeCounts = new Int32Array(sticky ? c.clients * n : 0);
    const outage: number[] = [];
    let failed = false;
    let rejected = 0;
    // When the health checker first looks (then every period): the seed's, so a failure lands anywhere in a period.
    const healthPhaseMs = ctx.rng.fork("health").next() * c.healthEveryMs;
    // The windows where the fault acts: during the outage once the health checker has reported it, and
    // after the failed servers are back and reported up (a period covers any phase).
    const outageFromMs = c.failAtMs + c.healthEveryMs;
    const afterFromMs = c.recoverAtMs + c.healthEveryMs;
    const sentOutage = new Float64Array(n);
    const sentAfter = new Float64Array(n);
    const outageLatencies: number[] = [];
    // Latency before, during and after the servers' failure itself (not the health checker's view of it).
    const phaseLatency = new PhaseLatencies(c.failAtMs, c.recoverAtMs);
    // Each request's draw for its fate on a server (error, lost reply), made at its arrival so that every balancer meets the same ones.
    const fates: number[] = [];
    let injectedErrors = 0;
    let injectedLost = 0;
    // Client ids look like IPv4 addresses: distinct 32-bit numbers, so that no scheme can lean on small consecutive ids.
    const clientIds = distinctIds(c.clients, ctx.rng.fork("client-ids"));

    const servers = Array.from({ length: n }, (_, i) => ({ index: i, name: `s${i + 1}`, weight: c.weights[i]! }));
    const balancer = port.create(c.strategy, servers);
    const finish = (job: number, outcome: Outcome): void => {
      if (jobs.state[job] !== 0) return;
      jobs.state[job] = 1;
      const server = jobs.col.server[job]!;
      recorder.leave(loop.nowMs, jobs.intendedMs[job]!, outcome, server);
      const intended = jobs.intendedMs[job]!;
      if (outcome === OK && intended >= outageFromMs && intended < c.recoverAtMs) outageLatencies.push(loop.nowMs - intended);
      if (outcome === OK) phaseLatency.add(intended, loop.nowMs - intended);
      if (server >= 0 && balancer !== undefined) {
        port.nowMs = loop.nowMs;
        port.call(balancer, DONE, server, loop.nowMs - jobs.intendedMs[job]!, outcome === OK ? 1 : 0);
      }
    };
    const stations = servers.map(
      (s) =>
        new Station(s.index, { slots: c.slots, queueMax: c.queueMax, service: serviceSampler(c.service, ctx.rng.fork(`service/${s.index}`)), speed: c.speeds[s.index]! }, loop, {
          served: (job) => {
            // The request's draw against this server's shares: the same draws whatever the balancer picks.
            const u = fates[job]!;
            const errorShare = c.errorShares[s.index]!;
            if (jobs.state[job] !== 0 || u >= errorShare + c.lostShare) finish(job, OK);
            else if (u < errorShare) {
              injectedErrors++;
              finish(job, ERROR);
            } else injectedLost++; // the reply never arrives: the client's timeout ends the request
          },
          failed: (job, _st, why) => finish(job, why === "full" ? DROPPED : ERROR),
        }),
    );
    const timeouts = new DeadlineQueue(loop, (job) => finish(job, TIMEOUT), (job) => jobs.state[job] === 0);
    const pickRng = ctx.rng.fork("clients");
    const fateRng = ctx.rng.fork("fates");
    const arrivals = createArrivals({ ratePerSec: ctx.scenario.workload.rate }, durationMs, ctx.rng.fork("arrivals"));
    const arriveKind = loop.on(() => {
      const client = c.hotShare > 0 && pickRng.next() < c.hotShare ? 0 : pickRng.int(c.clients);
      const u = fateRng.next();
      port.nowMs = loop.nowMs;
      const faultsBefore = port.faults;
      const answer = balancer === undefined ? undefined : port.call(balancer, PICK, clientIds[client]!);
      const valid = typeof answer === "number" && Number.isInteger(answer) && answer >= 0 && answer < n;
      // A pick that threw is already recorded; one that answered what no server is, is recorded here (the first).
      if (!valid && balancer !== undefined && port.faults === faultsBefore && rejected === 0) {
        port.complain(`pick(${clientIds[client]}) returned ${answer === undefined ? "nothing" : JSON.stringify(answer)}: it must return a server index, an integer 0…${n - 1} (the request failed)`);
      }
      const server = valid ? answer : -1;
      const job = jobs.add(loop.nowMs, client, server);
      fates[job] = u;
      recorder.enter(loop.nowMs);
      if (server < 0) {
        rejected++;
        finish(job, ERROR);
      } else {
        sent[server]++;
        if (loop.nowMs >= outageFromMs && loop.nowMs < c.recoverAtMs) sentOutage[server]++;
        else if (loop.nowMs >= afterFromMs) sentAfter[server]++;
        if (sticky) {
          if (!failed) homeCounts[client * n + server]++;
          else outage.push(client, server);
        }
        timeouts.add(job, loop.nowMs + timeoutMs);
        stations[server]!.submit(job);
      }
      const next = arrivals.next();
      if (next !== Infinity) loop.at(next, arriveKind);
    });
    const first = arrivals.next();
    if (first !== Infinity) loop.at(first, arriveKind);

    // The health checker: what the balancer was last told about each server.
    const reported = new Array<boolean>(n).fill(true);
    const healthKind = loop.on(() => {
      for (const s of stations) {
        if (s.up !== reported[s.id] && balancer !== undefined) {
          reported[s.id] = s.up;
          port.nowMs = loop.nowMs;
          port.call(balancer, HEALTH, s.id, s.up ? 1 : 0);
        }
      }
      if (loop.nowMs + c.healthEveryMs < durationMs) loop.at(loop.nowMs + c.healthEveryMs, healthKind);
    });
    // The checker's phase is the seed's: a failure lands anywhere in its period, so the balancer may
    // keep sending to a dead server for up to one period before it hears.
    loop.at(healthPhaseMs > 0 ? healthPhaseMs : c.healthEveryMs, healthKind);
    if (c.failServers.length) {
      loop.at(c.failAtMs, loop.on(() => {
        failed = true;
        for (const i of c.failServers) stations[i]!.crash();
      }));
      loop.at(c.recoverAtMs, loop.on(() => {
        failed = false;
        for (const i of c.failServers) stations[i]!.recover();
      }));
    }
    if (c.slowServer >= 0 && c.slowServer < n) {
      loop.at(c.slowAtMs, loop.on(() => void (stations[c.slowServer]!.speed /= c.slowFactor)));
    }
    loop.run();
    // Timeout events of long-finished requests run after the last request: the run ends with the last answer.
    const endMs = Math.max(durationMs, recorder.lastChangeAtMs);
    const figures: Record<string, number> = { ...recorder.figures(endMs) };
    // Load per unit of capacity, busiest over the mean: 1 is perfectly even. Over the run on the servers
    // that never failed; during the outage on the servers still up; after it on every server.
    const steady = servers.filter((s) => !c.failServers.includes(s.index)).map((s) => s.index);
    const spread = (counts: Float64Array, among: number[]) => busiestOverMean(counts, among, c.weights);
    const run = spread(sent, steady);
    figures.imbalance = run.ratio;
    figures.imbalanceServer = run.server;
    if (c.failServers.length && c.failAtMs < durationMs) {
      const during = spread(sentOutage, steady);
      figures.outageImbalance = during.ratio;
      figures.outageImbalanceServer = during.server;
      figures.outageFromMs = outageFromMs;
      figures.outageToMs = Math.min(c.recoverAtMs, durationMs);
      figures.outageLatencyP99Ms = p99(outageLatencies);
      Object.assign(figures, phaseLatency.figures());
      if (afterFromMs < durationMs) {
        const after = spread(sentAfter, servers.map((s) => s.index));
        figures.recoveryImbalance = after.ratio;
        figures.recoveryImbalanceServer = after.server;
        figures.recoveryFromMs = afterFromMs;
      }
    }
    figures.injectedFailures = injectedErrors + injectedLost;
    figures.injectedErrors = injectedErrors;
    figures.injectedLost = injectedLost;
    figures.failedRequests = figures.requests! - figures.ok! - figures.injectedFailures;
    figures.invalidPicks = rejected;
    if (sticky) figures.stickyRatio = stickiness(homeCounts, outage, n, c.clients, c.failServers);
    figures.costServerSec = round1((n * c.slots * endMs) / 1000);
    figures.utilisationMax = round3(Math.max(...stations.map((s) => s.busyMs / (s.slots * endMs))));
    return requestOutcome(loop, recorder, endMs, figures, {
      sentPerServer: [...sent],
      sentDuringOutage: [...sentOutage],
      sentAfterRecovery: [...sentAfter],
      servedPerServer: stations.map((s) => s.served),
      utilisation: stations.map((s) => round3(s.busyMs / (s.slots * endMs))),
      errorShares: c.errorShares,
      weights: c.weights,
      failServers: c.failServers,
    });
  },
  checks: {
    ...requestChecks,
    /** requestChecks' latency, with the cause the per-server figures point to. */
    latency(run, params) {
      const verdict = requestChecks.latency!(run, params);
      if (verdict.ok) return verdict;
      return { ok: false, message: `${verdict.message}. ${latencyCause(run.components.figures, run.components.series)}` };
    },
    /**
     * Load per unit of weight, busiest server over the mean: over the run (servers that never failed),
     * during the outage (servers still up) and after the recovery (every server). Params: max for the
     * run, windowMax for the two windows (fewer requests: more noise); windowMax defaults to max.
     */
    imbalance(run, params) {
      const f = run.components.figures;
      const s = run.components.series;
      const max = params.max ?? Infinity;
      const windowMax = params.windowMax ?? max;
      const servers = (ids: readonly number[]) => ids.map((i) => `s${i + 1}`).join(", ");
      const windows = [
        { ratio: f.imbalance!, server: f.imbalanceServer!, limit: max, counts: s.sentPerServer!, where: "over the run", among: "the servers that never failed" },
        ...(f.outageImbalance !== undefined ? [{ ratio: f.outageImbalance, server: f.outageImbalanceServer!, limit: windowMax, counts: s.sentDuringOutage!, where: `during the outage (${formatMs(f.outageFromMs!)} to ${formatMs(f.outageToMs!)}, once the health checker had reported it)`, among: `the servers still up (all but ${servers(s.failServers!)})` }] : []),
        ...(f.recoveryImbalance !== undefined ? [{ ratio: f.recoveryImbalance, server: f.recoveryImbalanceServer!, limit: windowMax, counts: s.sentAfterRecovery!, where: `after the recovery (from ${formatMs(f.recoveryFromMs!)}, once reported up)`, among: "every server" }] : []),
      ];
      const weights = s.weights!;
      const weighted = weights.some((w) => w !== weights[0]);
      const describe = (w: (typeof windows)[number]) => `${w.where} the busiest of ${w.among}, s${w.server + 1}, got ${w.ratio}× the mean load${weighted ? " per unit of weight" : ""} (requests per server: ${w.counts.join(", ")}${weighted ? `; weights ${weights.join(", ")}` : ""})`;
      const over = windows.filter((w) => w.ratio > w.limit);
      if (over.length === 0) return { ok: true, message: windows.map(describe).join("; ") };
      // A window's fault usually explains the whole run's figure too: its cause goes first.
      const first = over.find((w) => w !== windows[0]) ?? over[0]!;
      return { ok: false, message: `${over.map((w) => `${describe(w)}, over the budget of ${w.limit}×`).join("; ")}. ${imbalanceCause(first, f, s)}` };
    },
    /** Requests lost around a server failure, beyond those the servers failed on purpose. Param: max (requests). */
    failover(run, params) {
      const f = run.components.figures;
      const besides = f.injectedFailures ? ` besides the ${f.injectedFailures} the servers failed on purpose (${f.injectedErrors} errors, ${f.injectedLost} lost replies)` : "";
      const text = `${f.failedRequests} requests failed${besides} (in all ${f.errors} errors, including those refused or lost with a failing server, ${f.timeouts} timeouts, ${f.dropped} dropped)`;
      if (f.failedRequests! > (params.max ?? 0)) return { ok: false, message: `${text}; at most ${params.max} may fail. Stop sending to a server once health() says it is down, and send to it again once it is back.` };
      return { ok: true, message: text };
    },
    /** Share of requests that went to their client's usual server while that server was up. Param: min (0…1). */
    sticky(run, params) {
      const f = run.components.figures;
      const text = `${(f.stickyRatio! * 100).toFixed(1)}% of requests went to their client's usual server while it was up`;
      if (f.stickyRatio! < (params.min ?? 1)) return { ok: false, message: `${text}; need ${((params.min ?? 1) * 100).toFixed(1)}%. A client must keep its server, and when one server fails only its clients may move.` };
      return { ok: true, message: text };
    },
  },
};

const defaultTimeoutMs = 2000;

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** `count` distinct uint32 numbers. */
function distinctIds(count: number, rng: { next(): number }): number[] {
  const seen = new Set<number>();
  const ids: number[] = [];
  while (ids.length < count) {
    const id = Math.floor(rng.next() * 2 ** 32);
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

/** The busiest of `among` per unit of weight, over the mean of them: its ratio and index. */
function busiestOverMean(counts: Float64Array, among: readonly number[], weights: readonly number[]): { ratio: number; server: number } {
  let sum = 0;
  let server = -1;
  for (const i of among) {
    const load = counts[i]! / weights[i]!;
    sum += load;
    if (server < 0 || load > counts[server]! / weights[server]!) server = i;
  }
  const mean = sum / Math.max(1, among.length);
  return { ratio: round3(mean > 0 && server >= 0 ? counts[server]! / weights[server]! / mean : 0), server };
}

function p99(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return round1(sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!);
}

/** Why the load was uneven, from the window and the counts: the hint that fits. */
function imbalanceCause(w: { where: string; counts: number[]; server: number }, f: Record<string, number>, s: Record<string, number[]>): string {
  const failed = s.failServers!;
  const n = w.counts.length;
  if (w.where.startsWith("during")) {
    // The failed servers' share landed on their neighbours (the next index) instead of being spread.
    const neighbours = new Set(failed.map((i) => (i + 1) % n).filter((i) => !failed.includes(i)));
    if (neighbours.has(w.server)) {
      return `s${w.server + 1} is the next server after ${failed.map((i) => `s${i + 1}`).join(" and ")}: the requests a failed server would have had all went to its neighbour. Spread them over every server still up (for a hash, rendezvous or a ring with many points per server; for round robin, skip the down servers in the rotation itself).`;
    }
    return "Spread the failed servers' share over every server still up, in proportion to their weights.";
  }
  if (w.where.startsWith("after")) {
    const back = failed.filter((i) => w.counts[i]! < 0.5 * (w.counts.reduce((a, b) => a + b, 0) / n));
    if (back.length) return `${back.map((i) => `s${i + 1}`).join(" and ")} came back and got little or nothing: when health() reports a server up again, send to it again.`;
    if (failed.includes(w.server)) return `s${w.server + 1} is the server that came back, and it took more than its share: a returning server must start level with the others, not where its counters stood when it went down (they did not move while it was away, so it "catches up" with a burst).`;
    return "Once the failed servers are back, the load should be even again.";
  }
  const weights = s.weights!;
  if (weights.some((x) => x !== weights[0])) return "Send to each server in proportion to its weight (smooth weighted round robin spreads a heavy server's turns).";
  return "Take the servers in turn; random choices are even only on average.";
}

/**
 * Why requests were slow, from the per-server figures: the server that answers most errors getting far
 * less than the others (its failures were never counted out, so it looks busy for ever), else the
 * busiest server and its share.
 */
function latencyCause(f: Record<string, number>, s: Record<string, number[]>): string {
  // A window where one server took far more than its share: its queue is where the time went.
  if (f.recoveryImbalance !== undefined && f.recoveryImbalance > 1.2 && s.failServers!.includes(f.recoveryImbalanceServer!)) {
    return `After the recovery s${f.recoveryImbalanceServer! + 1}, the server that came back, took ${f.recoveryImbalance}× its share, and its queue grew: let a returning server start level with the others.`;
  }
  if (f.outageImbalance !== undefined && f.outageImbalance > 1.2) {
    return `During the outage s${f.outageImbalanceServer! + 1} took ${f.outageImbalance}× its share of the servers still up, and its queue grew: spread a failed server's share over all the others.`;
  }
  const sent = s.sentPerServer!;
  const total = sent.reduce((a, b) => a + b, 0);
  const shares = s.errorShares!;
  const flaky = shares.indexOf(Math.max(...shares));
  if (shares[flaky]! > 0 && shares.some((x) => x < shares[flaky]!)) {
    const others = sent.filter((_, i) => i !== flaky).sort((a, b) => a - b);
    const median = others[others.length >> 1]!;
    if (sent[flaky]! < 0.6 * median) {
      return `s${flaky + 1}, the server that answers most errors (${Math.round(shares[flaky]! * 100)}%), got ${sent[flaky]} requests where the others' median is ${median}, as if its failed requests were still in flight: done() comes for errors, timeouts and refusals too, and each must be counted out, or the counts drift and the other servers take its load.`;
    }
  }
  const util = s.utilisation!;
  const busiest = util.indexOf(Math.max(...util));
  return `The busiest server, s${busiest + 1}, was serving ${pct(util[busiest]!)} of the time and got ${pct(sent[busiest]! / Math.max(1, total))} of the requests (per server: ${sent.join(", ")}): send less to a server whose answers come back slowly (fewer in flight, or a latency estimate from its successful answers).`;
}

/** Each client's usual (most used) server while all were up; then the share of requests that went to it. */
function stickiness(homeCounts: Int32Array, outage: number[], n: number, clients: number, failed: readonly number[]): number {
  const home = new Int32Array(clients).fill(-1);
  let atHome = 0;
  let total = 0;
  for (let client = 0; client < clients; client++) {
    let best = -1;
    let bestCount = 0;
    let sum = 0;
    for (let s = 0; s < n; s++) {
      const k = homeCounts[client * n + s]!;
      sum += k;
      if (k > bestCount) {
        best = s;
        bestCount = k;
      }
    }
    home[client] = best;
    atHome += bestCount;
    total += sum;
  }
  for (let i = 0; i < outage.length; i += 2) {
    const h = home[outage[i]!]!;
    if (h < 0 || failed.includes(h)) continue;
    total++;
    if (outage[i + 1] === h) atHome++;
  }
  return total ? round3(atHome / total) : 1;
}
