/**
 * The one host loop every sandbox drives a run with: boot the learner realms, then call the engine until
 * it is done, making a fresh realm when it asks for a restart and letting promise continuations run when
 * it yields. Only how a realm is made and how a turn is given differ between sandboxes.
 */
import { decodeSignal } from "../protocol/host.ts";
import { RunStopped, wallBudgetMessage } from "./verdicts.ts";
import type { SandboxLimits } from "./types.ts";

export interface RunHost {
  /** Makes a fresh learner realm for `realm` and hands its entry to the engine. */
  boot(realm: string): void;
  /** Calls the engine's run(): returns its signal (protocol/host.ts). */
  step(): string;
  /** The realm whose code ran last, for a verdict. */
  current(): string;
}

export interface HostLoopOptions {
  realms: readonly string[];
  limits: SandboxLimits;
  /** Real ms since the run started. */
  elapsedMs(): number;
  /**
   * Lets promise continuations run after a yield. isolated-vm needs none (they run when a call into the
   * isolate returns); a host that shares the realm waits a macrotask turn.
   */
  turn?: () => Promise<void>;
  /**
   * Awaited after each boot (the first ones and a restart's), before the engine runs: a host that shares the
   * realm lets the top level's continuations run there and hears what they left, as an isolate call's end does.
   */
  afterBoot?: (realm: string) => Promise<void>;
  /**
   * Checked before every boot and every GUARD_EVERY steps: e.g. the process's resident memory. Throws
   * RunStopped to stop.
   */
  guard?: () => void;
}

/**
 * Steps between two guard checks. Reading the resident size is a system call (~15 µs); before every step it
 * took a fifth of a replicated-kv grade's CPU time. A step is short (each is bounded by the wall budget and
 * the isolate's own memory limit), so a backstop checked every 64 steps stops a run just as surely.
 */
const GUARD_EVERY = 64;

export async function driveRun(host: RunHost, options: HostLoopOptions): Promise<void> {
  const { limits } = options;
  const checkWall = () => {
    if (options.elapsedMs() > limits.wallMs) throw new RunStopped(wallBudgetMessage(limits, host.current() || undefined), "wall");
  };
  for (const realm of options.realms) {
    options.guard?.();
    host.boot(realm);
    if (options.afterBoot) await options.afterBoot(realm);
  }
  let sinceGuard = 0;
  for (;;) {
    if (options.guard && ++sinceGuard >= GUARD_EVERY) {
      sinceGuard = 0;
      options.guard();
    }
    checkWall();
    const signal = decodeSignal(host.step());
    switch (signal.kind) {
      case "done":
        return;
      case "interrupted":
        throw new RunStopped(wallBudgetMessage(limits, host.current() || undefined), "wall");
      case "restart":
        options.guard?.();
        host.boot(signal.realm);
        if (options.afterBoot) await options.afterBoot(signal.realm);
        break;
      case "yield":
        if (options.turn) await options.turn();
        break;
    }
  }
}
