// A failing run's node logs and errors in the order they happened, each with the messages around it:
// the message its node received at that moment (what started the step) and the ones the step sent.
// The data has no sequence number across logs, errors and messages, only virtual times, so within one
// node at one instant the order is the order of a step: received, then logged, then sent, then the
// error that ended it. (A plain sort by time put an error before the log lines of its own step.) Pure.
import type { TraceEntry } from "../../../graders/index.ts";

export type TimelineKind = "recv" | "log" | "send" | "error";

export interface TimelineLine {
  timeMs: number;
  node: string;
  kind: TimelineKind;
  text: string;
}

export interface TimelineInput {
  logs: ReadonlyArray<{ node: string; timeMs: number; text: string }>;
  errors: ReadonlyArray<{ node: string; timeMs: number; text: string }>;
  trace: readonly TraceEntry[];
}

const byName = (a: string, b: string) => (a === b ? 0 : a.localeCompare(b, "en", { numeric: true }));
const RANK: Record<TimelineKind, number> = { recv: 0, log: 1, send: 2, error: 3 };
const FATE: Partial<Record<TraceEntry["fate"], string>> = { lost: "lost", partition: "dropped by a partition", crashed: "receiver down", "in-flight": "still in flight at the end" };

/**
 * Every log line and error, with the messages of the same node at the same instant (at most `perStep`
 * sent messages each, then a line saying how many more), in time order.
 */
export function runTimeline(run: TimelineInput, options: { perStep?: number } = {}): TimelineLine[] {
  const perStep = options.perStep ?? 4;
  const lines: Array<TimelineLine & { order: number }> = [];
  let order = 0;
  const push = (line: TimelineLine) => lines.push({ ...line, order: order++ });
  for (const l of run.logs) push({ timeMs: l.timeMs, node: String(l.node), kind: "log", text: String(l.text) });
  for (const e of run.errors) push({ timeMs: e.timeMs, node: String(e.node), kind: "error", text: String(e.text) });

  // The instants that have a log line or an error, per node: only their messages are shown.
  const instants = new Set(lines.map((l) => `${l.node}@${l.timeMs}`));
  if (instants.size > 0 && run.trace.length > 0) {
    const sent = new Map<string, TraceEntry[]>();
    for (const m of run.trace) {
      if (m.fate === "delivered" && m.recvMs !== undefined && instants.has(`${m.dest}@${m.recvMs}`)) {
        push({ timeMs: m.recvMs, node: m.dest, kind: "recv", text: `← ${m.type} from ${m.src}` });
      }
      const key = `${m.src}@${m.sendMs}`;
      if (instants.has(key)) {
        const list = sent.get(key);
        if (list) list.push(m);
        else sent.set(key, [m]);
      }
    }
    for (const list of sent.values()) {
      for (const m of list.slice(0, perStep)) {
        const fate = FATE[m.fate];
        push({ timeMs: m.sendMs, node: m.src, kind: "send", text: `→ ${m.dest} ${m.type}${fate ? ` (${fate})` : ""}` });
      }
      if (list.length > perStep) push({ timeMs: list[0]!.sendMs, node: list[0]!.src, kind: "send", text: `→ … and ${list.length - perStep} more messages` });
    }
  }
  // Nodes at one instant in name order (n2 before n10), each node's lines in step order.
  lines.sort((a, b) => a.timeMs - b.timeMs || byName(a.node, b.node) || RANK[a.kind] - RANK[b.kind] || a.order - b.order);
  return lines.map(({ order: _, ...line }) => line);
}
