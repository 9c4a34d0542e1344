// Request-level simulation speed on a load-balancer scenario: simulated requests per second of wall time,
// with the learner's balancer (the reference solution) called in-process, and the same run in the
// isolated-vm sandbox (the balancer in its own realm, one call per pick and per done) beside it as a ratio.
import { componentScenario, expandKnobs, type ScenarioSpec } from "../graders/index.ts";
import { createIsolatedVmSandbox } from "../graders/sandbox/node/index.ts";
import { createComponentRuntime } from "../graders/harness/component/realm/runtime.ts";
import { harnessFor } from "../graders/harness/index.ts";
import { runQueueModel } from "../graders/sim/requests/model.ts";
import { solution } from "./engine.ts";

export interface ComponentFigures {
  inProcessRequestsPerSec: number;
  /** The same per second of this process's CPU time: steadier than wall time on a shared machine. */
  inProcessRequestsPerCpuSec: number;
  sandboxedRequestsPerSec: number;
  sandboxedRatio: number;
  queueModelRequestsPerSec: number;
}

/** 64 servers at 62% load, 400 000 requests through the latency-aware power-of-two balancer. */
export const benchScenario: ScenarioSpec = componentScenario({
  name: "bench-power-of-two",
  system: "load-balancer",
  durationMs: 10_000,
  ratePerSec: 40_000,
  timeoutMs: 1000,
  options: { strategy: "powerOfTwo", servers: 64, serviceMs: 1, clients: 10_000, hotShare: 0.1, slowServer: 3, slowAtMs: 3000, slowFactor: 4 },
});

const referencePath = new URL("../exercises/load-balancer/.meta/solution.ts", import.meta.url);

interface Timed {
  requests: number;
  wallMs: number;
  cpuMs: number;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function inProcess(): Promise<Timed> {
  const solution = (await import(referencePath.href)) as { default: unknown };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const runtime = createComponentRuntime();
  // An imported module cannot be evaluated again; the load balancer's system makes one instance, so none is asked for.
  runtime.setExports(solution, () => solution);
  const engine = harnessFor(benchScenario).createEngine(benchScenario, expandKnobs(benchScenario, 1));
  engine.attach("n1", runtime.entry as never);
  while (engine.run() !== "done");
  const data = JSON.parse(engine.result()) as { components: { figures: { requests: number } } };
  return { requests: data.components.figures.requests, wallMs: performance.now() - started, cpuMs: cpuMsSince(cpu) };
}

async function sandboxed(): Promise<Timed> {
  const solutionJs = await solution("load-balancer");
  const cpu = process.cpuUsage();
  const run = await createIsolatedVmSandbox().run({ scenario: benchScenario, knobs: expandKnobs(benchScenario, 1), solutionJs, harness: "component", limits: { wallMs: 60_000 } });
  if (run.kind !== "data") throw new Error(run.message);
  const figures = (run.data as unknown as { components: { figures: { requests: number } } }).components.figures;
  return { requests: figures.requests, wallMs: run.wallMs, cpuMs: cpuMsSince(cpu) };
}

function queueModel(): Timed {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const r = runQueueModel({ seed: 1, load: { open: { ratePerSec: 40_000 } }, durationMs: 10_000, drain: true, slots: 64, service: { dist: "exponential", meanMs: 1 } });
  return { requests: r.requests, wallMs: performance.now() - started, cpuMs: cpuMsSince(cpu) };
}

export async function benchComponents(print: (line: string) => void = console.log): Promise<ComponentFigures> {
  const best = async (n: number, f: () => Promise<Timed>) => {
    let top: Timed = { requests: 0, wallMs: Infinity, cpuMs: Infinity };
    for (let i = 0; i < n; i++) {
      const r = await f();
      if (r.requests / r.wallMs > top.requests / top.wallMs) top = r;
    }
    return top;
  };
  await inProcess(); // warm-up: JIT and the module import
  const direct = await best(3, inProcess);
  const boxed = await best(3, sandboxed);
  const model = await best(3, async () => queueModel());
  const perSec = (r: Timed) => Math.round((r.requests / r.wallMs) * 1000);
  const figures: ComponentFigures = {
    inProcessRequestsPerSec: perSec(direct),
    inProcessRequestsPerCpuSec: Math.round((direct.requests / direct.cpuMs) * 1000),
    sandboxedRequestsPerSec: perSec(boxed),
    sandboxedRatio: 0,
    queueModelRequestsPerSec: perSec(model),
  };
  figures.sandboxedRatio = Math.round((figures.sandboxedRequestsPerSec / figures.inProcessRequestsPerSec) * 100) / 100;
  print("request-level simulation (best of 3 runs each)");
  print(`  load balancer, 64 servers, power of two, ${direct.requests.toLocaleString("en")} requests, balancer in-process: ${figures.inProcessRequestsPerSec.toLocaleString("en")} simulated requests/s of wall time (target ≥ 1,000,000), ${figures.inProcessRequestsPerCpuSec.toLocaleString("en")} per CPU second`);
  print(`  the same run sandboxed (balancer in its own isolated-vm realm): ${figures.sandboxedRequestsPerSec.toLocaleString("en")} requests/s → ${figures.sandboxedRatio}× the in-process figure (${Math.round(boxed.wallMs)} ms, isolate included)`);
  print(`  M/M/64 queue model alone (no component): ${figures.queueModelRequestsPerSec.toLocaleString("en")} requests/s`);
  return figures;
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;
if (isMain) await benchComponents();
