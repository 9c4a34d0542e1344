/**
 * service-discovery: the learner's nodes are a service registry. The workload plays the instances of two
 * services, "api" and "auth": each instance heartbeats `{type: "register", service, instance, heartbeat_ms}` to one
 * registry node (moving to the next at once when that one does not answer), instances crash and are replaced by
 * new ones at NEW addresses, and more instances start halfway through (a scale-up). Clients ask any
 * registry node `{type: "resolve", service}` (trying the next one when a node does not answer) and call an
 * instance from the answer, round robin. Each instance is also a service at its address on the cluster's
 * network (ClientApi.serve): `{type: "ping"}` gets `{type: "pong"}` while it is up and nothing once it has
 * crashed, so a registry may check on its instances itself. The workload keeps the truth as observations: each instance's up
 * and down, each logical resolve (who answered, when, what), each call (to a live instance or a dead one).
 * The checks (graders/checkers/membership-views.ts) judge the answers against the instances' lifetimes.
 */
import { perform } from "./client.ts";
import { formatMs } from "../report/format.ts";
import { percentile } from "../checkers/stats.ts";
import { missingEntries, staleEntries, visibilityDelays, type Lifetime, type MemberView } from "../checkers/membership-views.ts";
import { ErrorCode } from "../protocol/errors.ts";
import type { CheckFn, ClientApi, Workload } from "./types.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";

/** The run a node workload's checks see. */
type Run = Parameters<CheckFn>[0];

/** The services: "api" is the one that crashes often and scales up; "auth" is there so that an answer
 * must be for the service asked about. */
const services = ["api", "auth"] as const;

function options(spec: WorkloadSpec) {
  const o = spec.options ?? {};
  const num = (key: string, fallback: number) => (o[key] === undefined ? fallback : Number(o[key]));
  return {
    heartbeatMs: num("heartbeatMs", 100),
    /** Share of heartbeats an instance sends `lateBeatMs` late (a GC pause, a busy event loop). */
    lateBeatShare: num("lateBeatShare", 0),
    lateBeatMs: num("lateBeatMs", 120),
    /** An instance that hears nothing back from its registry node this long tries the next one at once. */
    heartbeatTimeoutMs: num("heartbeatTimeoutMs", 60),
    instances: num("instances", 3),
    authInstances: num("authInstances", 2),
    /** Share of resolves that ask for "auth" rather than "api". */
    authShare: num("authShare", 0.25),
    /** On average every `crashEveryMs` a live instance crashes; its replacement starts `replaceMs` later at a new address. */
    crashEveryMs: num("crashEveryMs", 700),
    replaceMs: num("replaceMs", 200),
    scaleUpAtMs: num("scaleUpAtMs", 1500),
    scaleUpBy: num("scaleUpBy", 2),
    /** A client waits this long for one registry node before asking the next. */
    resolveTimeoutMs: num("resolveTimeoutMs", 60),
  };
}

type Fact =
  | { kind: "up" | "down"; service: string; instance: string }
  | { kind: "resolve"; service: string; client: string; invokeMs: number; returnMs: number; node: string | null; instances: string[] | null; unexpected?: unknown }
  | { kind: "call"; client: string; instance: string; alive: boolean };

function runInstances(api: ClientApi, spec: WorkloadSpec, alive: Set<string>) {
  const o = options(spec);
  const rng = api.rng.fork("instances");
  let made = 0;
  const madeOf = new Map<string, number>();
  const serviceOf = new Map<string, string>();
  const start = (service: string) => {
    made++;
    madeOf.set(service, (madeOf.get(service) ?? 0) + 1);
    const id = `${service}-${madeOf.get(service)}`;
    serviceOf.set(id, service);
    let home = (made - 1) % api.nodeIds.length;
    // Heartbeats go out through the clients' connections, as from a sidecar agent, the instance's address in
    // the body; the address itself answers pings while the instance lives (a crashed process is silent).
    const sender = api.clientIds[(made - 1) % api.clientIds.length]!;
    alive.add(id);
    api.serve(id, (_src, body, reply) => {
      if (!alive.has(id)) return;
      if (body.type === "ping") reply({ type: "pong", service, instance: id });
      else reply({ type: "error", code: ErrorCode.NotSupported, text: `instance ${id} answers "ping", not "${body.type}"` });
    });
    api.observe(id, api.now(), { kind: "up", service, instance: id } satisfies Fact);
    // One heartbeat; a registry node that does not answer in time is left for the next one at once (as a
    // registry client fails over), and that one keeps the instance's later beats.
    const send = (retriesLeft: number) => {
      if (!alive.has(id) || !api.inSafetyPhase()) return;
      api.call(sender, api.nodeIds[home]!, { type: "register", service, instance: id, heartbeat_ms: o.heartbeatMs }, o.heartbeatTimeoutMs, (reply) => {
        if (reply !== null && reply.type === "register_ok") return;
        home = (home + 1) % api.nodeIds.length;
        if (retriesLeft > 0) send(retriesLeft - 1);
      });
    };
    const beat = () => {
      if (!alive.has(id) || !api.inSafetyPhase()) return;
      send(api.nodeIds.length - 1);
      api.at(o.heartbeatMs + (rng.chance(o.lateBeatShare) ? o.lateBeatMs : 0), beat);
    };
    beat();
  };
  for (let i = 0; i < o.instances; i++) start("api");
  for (let i = 0; i < o.authInstances; i++) start("auth");
  const crash = () => {
    if (!api.inSafetyPhase()) return;
    const live = [...alive];
    const victim = live[rng.int(live.length)]!;
    const service = serviceOf.get(victim)!;
    // A service keeps at least one instance, so every answer has something to be judged on.
    if (live.filter((id) => serviceOf.get(id) === service).length > 1) {
      alive.delete(victim);
      api.observe(victim, api.now(), { kind: "down", service, instance: victim } satisfies Fact);
      api.at(o.replaceMs, () => api.inSafetyPhase() && start(service));
    }
    api.at(rng.exponential(o.crashEveryMs), crash);
  };
  api.at(rng.exponential(o.crashEveryMs), crash);
  api.at(o.scaleUpAtMs, () => {
    for (let i = 0; i < o.scaleUpBy && api.inSafetyPhase(); i++) start("api");
  });
}

function runClients(api: ClientApi, spec: WorkloadSpec, alive: Set<string>) {
  const o = options(spec);
  const intervalMsMean = (api.clientIds.length * 1000) / spec.rate;
  for (const client of api.clientIds) {
    let turn = 0;
    const next = () => {
      if (!api.inSafetyPhase()) return;
      const invokeMs = api.now();
      const service = api.rng.chance(o.authShare) ? "auth" : "api";
      const first = api.rng.int(api.nodeIds.length);
      const attempt = (k: number) => {
        if (k === api.nodeIds.length) {
          api.observe(client, api.now(), { kind: "resolve", service, client, invokeMs, returnMs: api.now(), node: null, instances: null } satisfies Fact);
          return api.at(api.rng.exponential(intervalMsMean), next);
        }
        const node = api.nodeIds[(first + k) % api.nodeIds.length]!;
        let answer: unknown;
        perform(api, client, { node, f: "resolve", value: service, body: { type: "resolve", service }, readValue: (r) => (answer = r.instances) }, o.resolveTimeoutMs, () => {
          if (answer === undefined) return attempt(k + 1);
          const readable = Array.isArray(answer) && answer.every((x) => typeof x === "string");
          const instances = readable ? (answer as string[]) : null;
          api.observe(client, api.now(), { kind: "resolve", service, client, invokeMs, returnMs: api.now(), node, instances, ...(readable ? {} : { unexpected: answer }) } satisfies Fact);
          // Client-side balancing: the next instance of the answer in turn, called at once.
          if (instances && instances.length) {
            const instance = instances[turn++ % instances.length]!;
            api.observe(client, api.now(), { kind: "call", client, instance, alive: alive.has(instance) } satisfies Fact);
          }
          api.at(api.rng.exponential(intervalMsMean), next);
        });
      };
      attempt(0);
    };
    api.at(api.rng.exponential(intervalMsMean), next);
  }
}

/** What the workload kept: lifetimes, views, failed and unreadable resolves, calls. */
export function discoveryFacts(run: Run) {
  const lifetimes = new Map<string, Lifetime & { service: string }>();
  const views: (MemberView & { service: string })[] = [];
  const failed: Extract<Fact, { kind: "resolve" }>[] = [];
  const unreadable: Extract<Fact, { kind: "resolve" }>[] = [];
  const calls: Extract<Fact, { kind: "call" }>[] = [];
  for (const o of run.observations ?? []) {
    const f = o.value as Fact;
    if (f.kind === "up") lifetimes.set(f.instance, { member: f.instance, service: f.service, upMs: o.timeMs, downMs: Infinity });
    else if (f.kind === "down") lifetimes.get(f.instance)!.downMs = o.timeMs;
    else if (f.kind === "call") calls.push(f);
    else if (f.kind === "resolve") {
      if (f.node === null) failed.push(f);
      else if (f.instances === null) unreadable.push(f);
      else views.push({ service: f.service, node: f.node, invokeMs: f.invokeMs, returnMs: f.returnMs, members: f.instances });
    }
  }
  return { lifetimes: [...lifetimes.values()], views, failed, unreadable, calls };
}

/** Applies a view rule service by service: a view is judged against the instances of the service it asked for. */
function perService<T>(facts: ReturnType<typeof discoveryFacts>, rule: (views: MemberView[], lifetimes: Lifetime[]) => T[]): T[] {
  return services.flatMap((s) => rule(facts.views.filter((v) => v.service === s), facts.lifetimes.filter((l) => l.service === s)));
}

const round = (n: number) => Math.round(n);

function unreadableMessage(facts: ReturnType<typeof discoveryFacts>) {
  const u = facts.unreadable[0]!;
  return `${facts.unreadable.length} answers to resolve carried no list of instance addresses; the first, from ${u.node} at ${formatMs(u.returnMs)}: instances = ${JSON.stringify(u.unexpected)?.slice(0, 100)}. Answer {type: "resolve_ok", instances: ["api-1", …]}.`;
}

export const serviceDiscovery: Workload = {
  name: "service-discovery",
  summary:
    'A service registry: instances send {type: "register", service, instance, heartbeat_ms} every heartbeat_ms (answer register_ok); clients send {type: "resolve", service} (answer {type: "resolve_ok", instances: [addresses of the live instances]}).',
  rpcs: [
    { request: '{type: "register", service, instance, heartbeat_ms} (from an instance, every heartbeat_ms)', reply: '{type: "register_ok"}' },
    { request: '{type: "resolve", service} (from a client)', reply: '{type: "resolve_ok", instances: string[]}' },
    { request: 'to an instance\'s address: {type: "ping"} (if you want to check on it)', reply: '{type: "pong", service, instance} while it is up; nothing once it has crashed' },
  ],
  driver(api, spec) {
    const alive = new Set<string>();
    return {
      start: () => {
        runInstances(api, spec, alive);
        runClients(api, spec, alive);
      },
      final: () => {},
    };
  },
  checks: {
    /** No answer lists an instance that had been down for more than `maxMs` when the client asked (nor one that never existed). Param maxMs. */
    "no-stale-instances"(run, params) {
      const maxMs = params.maxMs ?? 600;
      const facts = discoveryFacts(run);
      if (facts.unreadable.length) return { ok: false, message: unreadableMessage(facts) };
      if (facts.views.length === 0) return { ok: false, message: "no registry node ever answered resolve with resolve_ok" };
      const serviceOf = new Map(facts.lifetimes.map((l) => [l.member, l.service]));
      const invented = facts.views.flatMap((v) => v.members.filter((m) => serviceOf.get(m) !== v.service).map((m) => ({ v, m })));
      if (invented.length) {
        const { v, m } = invented[0]!;
        const what = serviceOf.has(m) ? `an instance of "${serviceOf.get(m)}"` : "an address no instance ever registered";
        return { ok: false, message: `${invented.length} entries in answers were not instances of the service asked for; the first: ${v.node} answered resolve "${v.service}" at ${formatMs(v.returnMs)} with "${m}", ${what}` };
      }
      const stale = perService(facts, staleEntries);
      const ages = stale.map((s) => s.deadForMs).sort((a, b) => a - b);
      const toDead = facts.calls.filter((c) => !c.alive).length;
      const metrics = {
        staleEntries: stale.length,
        staleP50Ms: round(ages.length ? percentile(ages, 0.5) : 0),
        staleMaxMs: round(ages.at(-1) ?? 0),
        callsToDead: toDead,
        callsToDeadPct: facts.calls.length ? Math.round((1000 * toDead) / facts.calls.length) / 10 : 0,
      };
      const summary = `${facts.views.length} answers, ${stale.length} listed an instance already down (for ${formatMs(metrics.staleP50Ms)} at the median, ${formatMs(metrics.staleMaxMs)} at worst); ${toDead} of ${facts.calls.length} calls went to a dead instance`;
      const late = stale.filter((s) => s.deadForMs > maxMs);
      if (late.length === 0) return { ok: true, message: `${summary} (bound ${formatMs(maxMs)})`, metrics };
      const s = late.reduce((a, b) => (b.deadForMs > a.deadForMs ? b : a));
      return {
        ok: false,
        message: `${late.length} times an answer listed an instance down for more than ${formatMs(maxMs)}; the worst: ${s.view.node} answered at ${formatMs(s.view.returnMs)} with ${s.member}, down for ${formatMs(s.deadForMs)} (${summary}). An entry must expire when its heartbeats stop: keep it for a TTL of a few heartbeat intervals after the last one, on every registry node.`,
        metrics,
      };
    },
    /** Every answer lists every instance that had been up for `maxMs` when the client asked and stayed up until the answer. Param maxMs. */
    "new-instances-visible"(run, params) {
      const maxMs = params.maxMs ?? 400;
      const facts = discoveryFacts(run);
      if (facts.unreadable.length) return { ok: false, message: unreadableMessage(facts) };
      if (facts.views.length === 0) return { ok: false, message: "no registry node ever answered resolve with resolve_ok" };
      const delays = perService(facts, visibilityDelays).sort((a, b) => a - b);
      const metrics = { visibleP50Ms: round(delays.length ? percentile(delays, 0.5) : 0), visibleMaxMs: round(delays.at(-1) ?? 0), instances: facts.lifetimes.length };
      const summary = `${facts.lifetimes.length} instances appeared in answers ${formatMs(metrics.visibleP50Ms)} after they started at the median, ${formatMs(metrics.visibleMaxMs)} at worst`;
      const missing = perService(facts, (views, lifetimes) => missingEntries(views, lifetimes, maxMs));
      if (missing.length === 0) return { ok: true, message: `${summary}; no answer left out an instance up for ${formatMs(maxMs)}`, metrics };
      const m = missing[0]!;
      const byNode = new Map<string, number>();
      for (const x of missing) byNode.set(x.view.node, (byNode.get(x.view.node) ?? 0) + 1);
      return {
        ok: false,
        message: `${missing.length} times an answer left out a live instance that had been heartbeating for over ${formatMs(maxMs)} (by node: ${[...byNode].map(([n, c]) => `${n} ${c}`).join(", ")}); the first: ${m.view.node} answered at ${formatMs(m.view.returnMs)} to "${(m.view as MemberView & { service: string }).service}" without ${m.member}, up for ${formatMs(m.upForMs)} (${summary}). Each instance heartbeats to ONE registry node: the others must learn of it too, a TTL must outlast a few heartbeat intervals, and a restarted node must not answer from an empty memory.`,
        metrics,
      };
    },
    /** Every resolve is answered by some registry node (the client tries each in turn). */
    "resolution-available"(run) {
      const facts = discoveryFacts(run);
      const total = facts.views.length + facts.failed.length + facts.unreadable.length;
      const metrics = { resolves: total, resolvesFailed: facts.failed.length };
      if (total === 0) return { ok: false, message: "no client ever sent resolve", metrics };
      if (facts.failed.length === 0) return { ok: true, message: `all ${total} resolves were answered`, metrics };
      const f = facts.failed[0]!;
      return {
        ok: false,
        message: `${facts.failed.length} of ${total} resolves got no resolve_ok from any of the ${run.knobs.nodeIds.length} registry nodes; the first, by ${f.client} at ${formatMs(f.invokeMs)}. Every registry node must answer from its own copy while a peer is down; one that waits on a crashed node leaves clients with nowhere to go.`,
        metrics,
      };
    },
  },
};
