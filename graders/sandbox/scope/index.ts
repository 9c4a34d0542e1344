/**
 * The one-realm sandbox: the simulator and every node run in the current realm, each node's code in a
 * scope of its own (see node-scope.ts). The browser's grading Worker uses it; tests use it in Node to
 * check that it gives the same history as the isolated-vm sandbox. It cannot interrupt a synchronous
 * infinite loop: whoever hosts it (the Worker's page) must enforce the wall-time budget by killing it.
 */
import { createEngine } from "../../sim/create-engine.ts";
import { createNodeRuntime, type NodeGlobals } from "../../runtime/node-runtime.ts";
import { createComponentRuntime } from "../../runtime/component-runtime.ts";
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox } from "../types.ts";
import { doesNotCompileMessage, stackOverflowMessage, topLevelThrewMessage, wallBudgetMessage } from "../verdicts.ts";
import { installContinuationHook, runAs, type AsyncTracker } from "./continuations.ts";
import { compileSolution, learnerScope } from "./node-scope.ts";

export function createScopeSandbox(): Sandbox {
  installContinuationHook();
  return { run: runInScope };
}

class Verdict extends Error {}

const untracked: AsyncTracker = { markAsync() {} };

async function runInScope(request: RunRequest): Promise<RunOutcome> {
  const limits = { ...defaultSandboxLimits, ...request.limits };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const drain = macrotaskTurns();
  try {
    let evaluate: ReturnType<typeof compileSolution>;
    try {
      evaluate = compileSolution(request.solutionJs);
    } catch (error) {
      throw new Verdict(doesNotCompileMessage(error));
    }
    const sim = createEngine(request.scenario, request.knobs);
    const boot = (realmId: string): void => {
      let exports: unknown;
      const takeSolution = () => {
        const taken = exports;
        exports = undefined;
        return taken;
      };
      if (request.harness === "component") {
        // A component's methods are synchronous: no continuations to track, and no need to bind callbacks.
        const runtime = createComponentRuntime(takeSolution);
        exports = evaluateTopLevel(realmId, untracked, runtime.globals);
        sim.attach(realmId, runtime.entry);
      } else {
        const runtime = createNodeRuntime(takeSolution);
        exports = evaluateTopLevel(realmId, runtime, runtime.globals);
        const { entry } = runtime;
        sim.attach(realmId, (kind: string, now: number, arg: string, src: string) => runAs(runtime, () => entry(kind, now, arg, src)));
      }
    };
    const evaluateTopLevel = (realmId: string, tracker: AsyncTracker, globals: NodeGlobals): unknown => {
      try {
        return evaluate(tracker, learnerScope(globals));
      } catch (error) {
        throw new Verdict(topLevelThrewMessage(realmId, error));
      }
    };
    for (const id of request.knobs.nodeIds) boot(id);
    sim.interrupt = () => elapsed() > limits.wallMs;
    for (;;) {
      const signal = sim.run();
      if (signal === "done") break;
      if (signal === "interrupted") throw new Verdict(wallBudgetMessage(limits, sim.current || undefined));
      if (signal.startsWith("restart ")) boot(signal.slice("restart ".length));
      else await drain.next();
      if (elapsed() > limits.wallMs) throw new Verdict(wallBudgetMessage(limits, sim.current || undefined));
    }
    // Plain data already (the engines keep only JSON-shaped values), and no learner code holds it.
    const data = sim.resultData();
    if (data.fatal) return { kind: "error", message: data.fatal, wallMs: elapsed() };
    return { kind: "data", data: { ...data, scenario: request.scenario, knobs: request.knobs }, wallMs: elapsed() };
  } catch (error) {
    if (error instanceof Verdict) return { kind: "error", message: error.message, wallMs: elapsed() };
    const message = error instanceof Error ? error.message : String(error);
    if (/Maximum call stack/i.test(message)) return { kind: "error", message: stackOverflowMessage(message), wallMs: elapsed() };
    return { kind: "error", message: `the sandbox stopped: ${message}`, wallMs: elapsed() };
  } finally {
    drain.close();
  }
}

/**
 * Waits one macrotask turn: by then every microtask (every promise continuation, however deeply chained)
 * has run, as when a call into an isolate returns. A MessageChannel turn, because nested timers are
 * clamped to 4 ms in browsers.
 */
function macrotaskTurns(): { next(): Promise<void>; close(): void } {
  const channel = new MessageChannel();
  let wake: (() => void) | undefined;
  channel.port1.onmessage = () => wake?.();
  return {
    next: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}
