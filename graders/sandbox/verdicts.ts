/**
 * The words of a verdict when a run cannot complete, and the one place that turns whatever stopped a run
 * into a RunOutcome: shared by every sandbox so they say the same.
 */
import type { BudgetKind, RunOutcome, SandboxLimits } from "./types.ts";

/** A run stopped for a reason the sandbox already put into words (a budget, the learner's top level). */
export class RunStopped extends Error {
  readonly budget: BudgetKind | undefined;
  constructor(message: string, budget?: BudgetKind) {
    super(message);
    this.budget = budget;
  }
}

export function wallBudgetMessage(limits: SandboxLimits, node?: string, where?: string): string {
  const running = node ? `; node ${node} was running${where ? ` its ${where}` : ""}` : "";
  return `wall-time budget exceeded: the run took longer than ${limits.wallMs} ms of real time${running} (an infinite loop or a very slow handler?)`;
}

export function memoryBudgetMessage(limits: SandboxLimits, detail: string): string {
  return `memory budget exceeded: the sandbox passed its ${limits.memoryMb} MB limit (${detail})`;
}

export function topLevelThrewMessage(nodeId: string, what: string): string {
  return `${nodeId}: the solution's top-level code threw ${what}`;
}

/**
 * A promise the learner's code rejected with nothing to handle it: as in Node, where an unhandled rejection
 * ends the process, it ends the run, and it is the learner's, not the sandbox's. At the top level the node
 * is known; in a step it is not (one engine call runs many nodes' events), and the reason's line says where.
 */
export function unhandledRejectionMessage(what: string, topLevelOf?: string): string {
  const whose = topLevelOf ? `${topLevelOf}: the solution's top-level code` : "the solution's code";
  return `${whose} left a promise rejected with ${what}, and nothing handled it (await it${topLevelOf ? " inside a handler" : " or return it from the handler"}, or add .catch)`;
}

export function doesNotCompileMessage(error: unknown): string {
  return `the solution does not compile: ${String((error as Error)?.message ?? error)}`;
}

export function stackOverflowMessage(message: string): string {
  return `stack overflow: ${message} (unbounded recursion?)`;
}

/** The exact texts isolated-vm gives a host when it stops a call: matched whole, never a learner's own words. */
const isolateTimeoutText = "Script execution timed out.";
const isolateMemoryTexts = ["Isolate was disposed during execution due to memory limit", "Array buffer allocation failed"];

export function isIsolateTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === isolateTimeoutText;
}

/** An isolate stopped by its memory limit (or a call into one that was). */
export function isIsolateMemoryError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return isolateMemoryTexts.some((text) => message.startsWith(text)) || /isolate is disposed|memory limit/i.test(message);
}

/**
 * Whatever a sandbox caught while running: a verdict it made itself, an isolate's timeout or memory limit
 * (named by `current`, the realm that was running), a stack overflow, or, last, the sandbox's own failure.
 */
export function stoppedOutcome(error: unknown, limits: SandboxLimits, wallMs: number, current = ""): Extract<RunOutcome, { kind: "error" }> {
  if (error instanceof RunStopped) return { kind: "error", message: error.message, wallMs, ...(error.budget ? { budget: error.budget } : {}) };
  if (isIsolateTimeout(error)) return { kind: "error", message: wallBudgetMessage(limits, current || undefined), wallMs, budget: "wall" };
  const message = error instanceof Error ? error.message : String(error);
  if (isIsolateMemoryError(error)) {
    return { kind: "error", message: memoryBudgetMessage(limits, message), wallMs, budget: "memory" };
  }
  if (error instanceof RangeError || /^Maximum call stack size exceeded/.test(message)) return { kind: "error", message: stackOverflowMessage(message), wallMs };
  return { kind: "error", message: `the sandbox stopped: ${message}`, wallMs };
}
