/** The words of a verdict when a run cannot complete: shared by both sandboxes so they say the same. */
import type { SandboxLimits } from "./types.ts";

export function wallBudgetMessage(limits: SandboxLimits, node?: string, where?: string): string {
  const running = node ? `; node ${node} was running${where ? ` its ${where}` : ""}` : "";
  return `wall-time budget exceeded: the run took longer than ${limits.wallMs} ms of real time${running} (an infinite loop or a very slow handler?)`;
}

export function topLevelThrewMessage(nodeId: string, error: unknown): string {
  return `${nodeId}: the solution's top-level code threw ${String((error as Error)?.message ?? error)}`;
}

export function doesNotCompileMessage(error: unknown): string {
  return `the solution does not compile: ${String((error as Error)?.message ?? error)}`;
}

export function stackOverflowMessage(message: string): string {
  return `stack overflow: ${message} (unbounded recursion?)`;
}
