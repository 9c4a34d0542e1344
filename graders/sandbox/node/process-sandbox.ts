/**
 * A sandbox behind a process boundary. The in-process sandbox shares the grader's process with learner code,
 * and some of what that code can do is fatal to a process, not an exception: an allocation V8 cannot survive
 * aborts it, WebAssembly memory grows outside the isolate's limit. Here each run goes to a long-lived child
 * process (sandbox-child.ts), one run at a time; when the child dies the run's verdict says why, and the next
 * run gets a fresh child.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox, type SandboxLimits } from "../types.ts";
import { wallBudgetMessage } from "../verdicts.ts";
import { currentModuleBundle, keptModuleBundle, type ModuleBundle } from "./kept-module.ts";
import { isolateProcessFlags, mainThreadCompileFlags } from "./v8-flags.ts";

export type SandboxKind = "isolated-vm" | "browser";

export interface ProcessSandboxOptions {
  /** Which in-process sandbox the child runs (default "isolated-vm"). */
  kind?: SandboxKind;
  /**
   * The child's resident size past which its guard kills it mid-run, in MB. Default: 384 + 2 × the run's
   * memoryMb (the engine, and the isolate's heap with V8's overshoot).
   */
  residentGuardMb?: number;
  /** Whether the child's sandbox keeps realms between consecutive runs of one solution (default: realmReuseDefault). */
  reuseRealms?: boolean;
  /**
   * Whether V8 in the child compiles code on the thread that runs the isolates instead of on background
   * threads (v8-flags.ts mainThreadCompileFlags): for a child with a core's share and no more.
   */
  mainThreadCompile?: boolean;
}

export interface ProcessSandbox extends Sandbox {
  /** Starts the child now (it builds its bundles, about a third of a second), so its start overlaps other work. */
  warm(): void;
  /** Kills the child; later runs are refused. */
  dispose(): void;
  /**
   * The current child and how many were started: for tests and the bench. startMs is fork to ready;
   * forkedAt and readyAt are performance.now() of this process at those moments.
   */
  stats(): { pid?: number; starts: number; startMs?: number; forkedAt?: number; readyAt?: number };
}

/** Parent → child, one JSON string per message. */
export interface ParentMessage {
  id: number;
  request: RunRequest;
}

/** Child → parent, one JSON string per message. */
export type ChildMessage =
  | { type: "ready" }
  | { type: "setup-failed"; message: string }
  | { type: "outcome"; id: number; outcome: RunOutcome; /** The child exits after this answer (it grew too big to reuse). */ retiring: boolean };

/** The first words the child's resident guard writes to stderr before it kills its process. */
export const guardMarker = "clusterlab sandbox: resident memory";

const childPath = fileURLToPath(new URL("./sandbox-child.ts", import.meta.url));
/**
 * The sandbox process's ~16 modules as one bundle (kept-module.ts): a Node without its start-up snapshot
 * loads them ~10 ms quicker so. Forked when it is kept and current; else the modules themselves, while this
 * process builds the bundle for the next (esbuild works in a process of its own, once after an edit).
 */
const childBundle: ModuleBundle = { entry: `import ${JSON.stringify(childPath)};\n` };
let keepingChildBundle: Promise<unknown> | undefined;

function childEntry(): string {
  const bundled = currentModuleBundle(childBundle);
  if (!bundled) keepingChildBundle ??= keptModuleBundle(childBundle).catch(() => undefined);
  return bundled ?? childPath;
}
/** The child's own heap (bundles, outcomes as JSON); learner isolates have limits of their own. */
const childHeapMb = 512;
/** The inner sandbox stops a run at its wall budget; past this much more, the child itself is stuck. */
const backstopGraceMs = 5000;
/** Enough of the child's stderr to hold V8's last words on a fatal error. */
const stderrTailChars = 4096;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  setupError?: string;
}

/**
 * Runs sent to a child at once: while the parent judges one run's outcome the child is already running the
 * next (it answers them one at a time, in order). When the child dies, the run it was running gets the
 * verdict and the one sent after it, which never started, goes to the next child.
 */
const pipelineDepth = 2;

/** One child process; it answers the requests sent to it one at a time, in the order sent. */
class SandboxProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  /** Fork to the child's sandbox being ready, as the parent sees it. */
  startMs?: number;
  readyAt?: number;
  readonly forkedAt = performance.now();
  /** The child said it exits after its last answer: nothing more is sent to it. */
  retiring = false;
  private stderrTail = "";
  private setupError?: string;
  private readonly onOutcome: (id: number, outcome: RunOutcome, retiring: boolean) => void;

  constructor(options: ProcessSandboxOptions, onOutcome: (id: number, outcome: RunOutcome, retiring: boolean) => void) {
    this.onOutcome = onOutcome;
    const reuse = options.reuseRealms === undefined ? "" : String(options.reuseRealms);
    this.child = fork(childEntry(), [options.kind ?? "isolated-vm", String(options.residentGuardMb ?? ""), reuse], {
      execArgv: [...isolateProcessFlags, `--max-old-space-size=${childHeapMb}`, ...(options.mainThreadCompile ? mainThreadCompileFlags : [])],
      // Learner code cannot print, and the engine's stdout must not mix into a CLI's --json output.
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // A string crosses as a copy of its bytes; the default "json" would escape the JSON once more.
      serialization: "advanced",
    });
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-stderrTailChars);
    });
    (this.child.stderr as unknown as { unref(): void }).unref();
    this.child.on("message", (text: string) => this.receive(JSON.parse(text) as ChildMessage));
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal, stderrTail: this.stderrTail, setupError: this.setupError });
      // "close" comes after stderr has ended, so the tail holds everything the child wrote.
      this.child.on("close", done);
      this.child.on("error", (error) => {
        if (this.child.pid === undefined) resolve({ code: null, signal: null, stderrTail: "", setupError: `could not start ${process.execPath}: ${error.message}` });
      });
    });
  }

  /** Whether the child is gone though its "close" may not have been reported yet. */
  get gone(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  send(id: number, request: RunRequest): void {
    const message: ParentMessage = { id, request };
    // A failed send means the child is gone: "close" follows and ends the run.
    this.child.send(JSON.stringify(message), () => undefined);
  }

  /** While a run is in flight the child keeps the parent alive; when idle it must not (a CLI must exit). */
  hold(held: boolean): void {
    const channel = this.child.channel as { ref?(): void; unref?(): void } | null | undefined;
    if (held) {
      this.child.ref();
      channel?.ref?.();
    } else {
      this.child.unref();
      channel?.unref?.();
    }
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  private receive(message: ChildMessage): void {
    if (message.type === "ready") {
      this.readyAt = performance.now();
      this.startMs = Math.round(this.readyAt - this.forkedAt);
    } else if (message.type === "setup-failed") this.setupError = message.message;
    else this.onOutcome(message.id, message.outcome, message.retiring);
  }
}

/** A run asked for: waiting for its turn, or sent to the child. */
interface Pending {
  id: number;
  request: RunRequest;
  limits: SandboxLimits;
  resolve(outcome: RunOutcome): void;
  reject(error: Error): void;
  /** When the child began it (as the parent sees it: sent to an idle child, or the run before it answered). */
  began?: number;
  backstop?: ReturnType<typeof setTimeout>;
  stuck?: boolean;
}

export function createProcessSandbox(options: ProcessSandboxOptions = {}): ProcessSandbox {
  let current: SandboxProcess | undefined;
  let starts = 0;
  let nextId = 1;
  let disposed = false;
  const waiting: Pending[] = [];
  /** Sent to the current child, in order: the first is the one it is running. */
  const sent: Pending[] = [];

  const begin = (run: Pending, proc: SandboxProcess): void => {
    run.began = performance.now();
    // The inner sandbox stops a run at its wall budget; a child still silent after the grace is stuck.
    run.backstop = setTimeout(() => {
      run.stuck = true;
      proc.kill();
    }, run.limits.wallMs + backstopGraceMs);
  };

  const start = (): SandboxProcess => {
    const proc: SandboxProcess = new SandboxProcess(options, (id, outcome, retiring) => answered(proc, id, outcome, retiring));
    starts++;
    proc.exited.then((exit) => ended(proc, exit));
    return proc;
  };

  const answered = (proc: SandboxProcess, id: number, outcome: RunOutcome, retiring: boolean): void => {
    const run = sent[0];
    if (proc !== current || run?.id !== id) return;
    sent.shift();
    clearTimeout(run.backstop);
    // A retiring child runs nothing more: what was sent after this run waits for its exit, then a new child.
    if (retiring) proc.retiring = true;
    else if (sent[0]) begin(sent[0], proc);
    run.resolve(outcome);
    pump();
  };

  const ended = (proc: SandboxProcess, exit: Exit): void => {
    if (proc !== current) return;
    current = undefined;
    const run = proc.retiring ? undefined : sent.shift();
    // What was sent after the run that ended never started: it goes first to the next child.
    waiting.unshift(...sent.splice(0));
    if (run) {
      clearTimeout(run.backstop);
      const wallMs = Math.round(performance.now() - (run.began ?? performance.now()));
      if (disposed) run.reject(new Error("the process sandbox was disposed during a run"));
      else if (exit.setupError) run.reject(new Error(`the sandbox process could not start its sandbox: ${exit.setupError}`));
      else if (run.stuck) run.resolve({ kind: "error", budget: "wall", message: wallBudgetMessage(run.limits), wallMs });
      else run.resolve(deathOutcome(exit, run.limits, wallMs));
    }
    pump();
  };

  const pump = (): void => {
    if (disposed) {
      for (const run of waiting.splice(0)) run.reject(new Error("the process sandbox was disposed; create another to run more"));
      return;
    }
    if (current?.retiring) return;
    while (waiting.length > 0 && sent.length < pipelineDepth) {
      // A child that died while idle may not have reported its "close" yet; a run must not be sent to it.
      if (current && sent.length === 0 && current.gone) current = undefined;
      const proc = (current ??= start());
      const run = waiting.shift()!;
      sent.push(run);
      if (sent.length === 1) begin(run, proc);
      proc.send(run.id, run.request);
    }
    current?.hold(sent.length > 0);
  };

  return {
    concurrency: pipelineDepth,
    run(request) {
      return new Promise<RunOutcome>((resolve, reject) => {
        waiting.push({ id: nextId++, request, limits: { ...defaultSandboxLimits, ...request.limits }, resolve, reject });
        pump();
      });
    },
    warm() {
      if (disposed || current) return;
      current = start();
      current.hold(false);
    },
    dispose() {
      disposed = true;
      // The child's "close" then settles what it was sent (ended() clears `current`).
      current?.kill();
      pump();
    },
    stats: () => ({ pid: current?.child.pid, starts, startMs: current?.startMs, forkedAt: current?.forkedAt, readyAt: current?.readyAt }),
  };
}

/** A child that died mid-run: a memory verdict when its last words say it ran out, else what killed it. */
export function deathOutcome(exit: Exit, limits: SandboxLimits, wallMs: number): RunOutcome {
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  const outOfMemory = outOfMemoryReason(exit.stderrTail);
  if (outOfMemory) {
    return {
      kind: "error",
      budget: "memory",
      message: `memory budget exceeded: the sandbox process died (${how}: ${outOfMemory}) — the solution allocated more than its ${limits.memoryMb} MB`,
      wallMs,
    };
  }
  const lastWords = exit.stderrTail.trim().split("\n").at(-1)?.trim();
  const hint = exit.signal === "SIGKILL" ? " (from outside the grader, or the system's out-of-memory killer)" : "";
  return { kind: "error", message: `the sandbox process died: ${how}${hint}${lastWords ? `; its last words: ${lastWords}` : ""}`, wallMs };
}

/** V8's and the resident guard's ways of saying a process ran out of memory, as a short reason. */
function outOfMemoryReason(stderr: string): string | undefined {
  const guard = stderr.split("\n").find((line) => line.startsWith(guardMarker));
  if (guard) return guard.slice("clusterlab sandbox: ".length);
  const fatal = /^.*(?:Fatal JavaScript out of memory|JavaScript heap out of memory|Fatal JavaScript invalid size error).*$/m.exec(stderr);
  if (fatal) return fatal[0].replace(/^#\s*/, "").trim();
  // isolated-vm's own OOM handler prints the reason, then this line, then the heap statistics.
  const ivm = /^(.*)\n\s*is_heap_oom = 1/m.exec(stderr);
  if (ivm) return `V8 out of memory${ivm[1]!.trim() ? `: ${ivm[1]!.trim()}` : ""}`;
  return undefined;
}
