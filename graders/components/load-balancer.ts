/**
 * The load-balancer system: open-loop clients (one of them possibly hot) send requests through the
 * learner's Balancer to backend servers that differ in speed, may slow down, and may fail and come back.
 * A health checker probes every server on a period and tells the balancer what changed. A request sent
 * to a down server is refused at once; requests inside a server that fails are lost.
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
import { listOption, numberOption } from "./scenario.ts";
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
  };
}

const PICK = "pick|n";
const DONE = "?done|nnb";
const HEALTH = "?health|nb";

export const loadBalancer: ComponentSystem = {
  name: "load-balancer",
  summary: "clients → your balancer's pick(client) → backend servers (c slots, a FIFO queue, random service times); done() and health() tell it what happened",
  describe(scenario) {
    const c = config(scenario.workload.options ?? {});
    const lines = [
      `strategy ${c.strategy}: ${c.servers} servers (weights ${c.weights.join(", ")}; speeds ${c.speeds.join(", ")}), ${c.slots} slot${c.slots > 1 ? "s" : ""} each, service ${c.service.dist === "lognormal" ? `lognormal median ${c.service.medianMs} ms σ ${c.service.sigma}` : `exponential mean ${(c.service as { meanMs: number }).meanMs} ms`}`,
      `${scenario.workload.rate} requests/s (Poisson) from ${c.clients} clients${c.hotShare ? `, client 0 sends ${Math.round(c.hotShare * 100)}% of them` : ""}; health checks every ${c.healthEveryMs} ms`,
    ];
    if (c.failServers.length) {
      const which = c.failServers.length === 1 ? `server ${c.failServers[0]}` : `servers ${c.failServers.join(", ")} (one zone)`;
      lines.push(`${which} fail${c.failServers.length === 1 ? "s" : ""} at ${formatMs(c.failAtMs)} and come${c.failServers.length === 1 ? "s" : ""} back at ${formatMs(c.recoverAtMs)}`);
    }
    if (c.slowServer >= 0) lines.push(`server ${c.slowServer} becomes ${c.slowFactor}× slower at ${formatMs(c.slowAtMs)}`);
    return lines;
  },
  run(ctx): SystemOutcome {
    const c = config(ctx.options);
    const { port } = ctx;
    const durationMs = ctx.scenario.durationMs;
    const timeoutMs = ctx.scenario.workload.timeoutMs ?? 2000;
    const loop = new RequestLoop();
    const jobs = new JobTable();
    const recorder = new Recorder();
    const n = c.servers;
    const sent = new Float64Array(n);
    // Stickiness is measured only for the strategy that promises it.
    const sticky = c.strategy === "ipHash";
    const homeCounts = new Int32Array(sticky ? c.clients * n : 0);
    const outage: number[] = [];
    let failed = false;
    let rejected = 0;

    const servers = Array.from({ length: n }, (_, i) => ({ index: i, name: `s${i + 1}`, weight: c.weights[i]! }));
    const balancer = port.create(c.strategy, servers);
    const finish = (job: number, outcome: Outcome): void => {
      if (jobs.state[job] !== 0) return;
      jobs.state[job] = 1;
      const server = jobs.b[job]!;
      recorder.leave(loop.nowMs, jobs.intendedMs[job]!, outcome, server);
      if (server >= 0 && balancer !== undefined) {
        port.nowMs = loop.nowMs;
        port.call(balancer, DONE, server, loop.nowMs - jobs.intendedMs[job]!, outcome === OK ? 1 : 0);
      }
    };
    const stations = servers.map(
      (s) =>
        new Station(s.index, { slots: c.slots, queueMax: c.queueMax, service: serviceSampler(c.service, ctx.rng.fork(`service/${s.index}`)), speed: c.speeds[s.index]! }, loop, {
          served: (job) => finish(job, OK),
          failed: (job, _st, why) => finish(job, why === "full" ? DROPPED : ERROR),
        }),
    );
    const timeouts = new DeadlineQueue(loop, (job) => finish(job, TIMEOUT), (job) => jobs.state[job] === 0);
    const pickRng = ctx.rng.fork("clients");
    const arrivals = createArrivals({ ratePerSec: ctx.scenario.workload.rate }, durationMs, ctx.rng.fork("arrivals"));
    const arriveKind = loop.on(() => {
      const client = c.hotShare > 0 && pickRng.next() < c.hotShare ? 0 : pickRng.int(c.clients);
      port.nowMs = loop.nowMs;
      const answer = balancer === undefined ? undefined : port.call(balancer, PICK, client);
      const valid = typeof answer === "number" && Number.isInteger(answer) && answer >= 0 && answer < n;
      if (!valid && balancer !== undefined && answer !== undefined) {
        port.complain(`pick(${client}) returned ${JSON.stringify(answer)}: it must return a server index, an integer 0…${n - 1}`);
      }
      const server = valid ? answer : -1;
      const job = jobs.add(loop.nowMs, client, server);
      recorder.enter(loop.nowMs);
      if (server < 0) {
        rejected++;
        finish(job, ERROR);
      } else {
        sent[server]++;
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
    loop.at(c.healthEveryMs, healthKind);
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
    // Load per unit of capacity on the servers that never failed: 1 is perfectly even.
    const steady = servers.filter((s) => !c.failServers.includes(s.index));
    const perWeight = steady.map((s) => sent[s.index]! / s.weight);
    const mean = perWeight.reduce((x, y) => x + y, 0) / Math.max(1, perWeight.length);
    figures.imbalance = round3(mean > 0 ? Math.max(...perWeight) / mean : 0);
    figures.failedRequests = figures.requests! - figures.ok!;
    figures.invalidPicks = rejected;
    if (sticky) figures.stickyRatio = stickiness(homeCounts, outage, n, c.clients, c.failServers);
    figures.costServerSec = round1((n * c.slots * endMs) / 1000);
    figures.utilisationMax = round3(Math.max(...stations.map((s) => s.busyMs / (s.slots * endMs))));
    return requestOutcome(loop, recorder, endMs, figures, { sentPerServer: [...sent], servedPerServer: stations.map((s) => s.served) });
  },
  checks: {
    ...requestChecks,
    /** Load per unit of weight, busiest server over the mean (servers that never failed). Param: max. */
    imbalance(run, params) {
      const f = run.components.figures;
      const sent = run.components.series.sentPerServer!;
      const text = `busiest server got ${f.imbalance}× the mean load per unit of weight (requests per server: ${sent.join(", ")})`;
      if (f.imbalance! > (params.max ?? Infinity)) return { ok: false, message: `${text}; the budget is ${params.max}×` };
      return { ok: true, message: text };
    },
    /** Requests lost around a server failure. Param: max (requests). */
    failover(run, params) {
      const f = run.components.figures;
      const text = `${f.failedRequests} requests failed (${f.errors} refused or lost with a failing server, ${f.timeouts} timed out, ${f.dropped} dropped)`;
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
