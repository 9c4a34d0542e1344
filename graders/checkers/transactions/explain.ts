import type { Value } from "../history/types.ts";
import { displayValue } from "../history/value.ts";
import { anomalyNames } from "./models.ts";
import { isCycleAnomaly, type Anomaly, type CycleAnomaly, type Dependency, type ReadAnomaly, type Txn, type TxnShape } from "./types.ts";

const show = (value: Value | undefined, max = 40): string => (value === undefined ? "nothing" : displayValue(value, max));
const name = (id: number): string => `T${id}`;
/** The key as people write it: a string without quotes, a number as it is. */
const keyText = (key: Value): string => (typeof key === "string" ? key : show(key));

/** One transaction on a line: its name, where it ran, how it ended and its operations. */
export function describeTxn(txn: Txn, maxChars = 160): string {
  const ops = txn.ops.map((op) => `${op.f} ${keyText(op.key)}${op.f === "r" && txn.status !== "ok" ? "" : ` ${show(op.value)}`}`).join("; ");
  const text = `${name(txn.id)} (${txn.where}, ${txn.status === "ok" ? "committed" : txn.status === "fail" ? "failed" : "unknown outcome"}): ${ops}`;
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** Why one dependency holds, in a sentence. */
export function describeDependency(dep: Dependency, shape: TxnShape): string {
  const k = `key ${keyText(dep.key)}`;
  const [a, b] = [name(dep.from), name(dep.to)];
  if (shape === "list-append") {
    if (dep.kind === "ww") return `${b} appended ${show(dep.value)} to ${k} right after ${a}'s ${show(dep.prior)}`;
    if (dep.kind === "wr") return `${b} read ${k} ending in ${show(dep.value)}, which ${a} appended`;
    return `${a} read ${k} ${dep.prior === null ? "empty" : `ending in ${show(dep.prior)}`}, and ${b} appended ${show(dep.value)} after that`;
  }
  if (dep.kind === "ww") return `${b} wrote ${k} = ${show(dep.value)} over ${a}'s ${show(dep.prior)}`;
  if (dep.kind === "wr") return `${b} read ${k} = ${show(dep.value)}, which ${a} wrote`;
  return `${a} read ${k} = ${show(dep.prior ?? null)}, and ${b} wrote ${show(dep.value)} over that version`;
}

/** The cycle drawn on one line, e.g. `T3 ─ww x→ T5 ─rw x→ T3`. */
export function drawCycle(cycle: readonly Dependency[]): string {
  return [name(cycle[0]!.from), ...cycle.map((d) => `─${d.kind} ${keyText(d.key)}→ ${name(d.to)}`)].join(" ");
}

/** A cycle as data a report can draw: its transactions and its labelled edges. */
export interface CycleDiagram {
  nodes: Array<{ id: string; label: string }>;
  edges: Array<{ from: string; to: string; kind: Dependency["kind"]; label: string }>;
}

export function cycleDiagram(anomaly: CycleAnomaly, txns: readonly Txn[], shape: TxnShape): CycleDiagram {
  return {
    nodes: anomaly.cycle.map((d) => ({ id: name(d.from), label: describeTxn(txns[d.from]!, 100) })),
    edges: anomaly.cycle.map((d) => ({ from: name(d.from), to: name(d.to), kind: d.kind, label: describeDependency(d, shape) })),
  };
}

/** The same diagram as Mermaid flowchart source (the site renders Mermaid). */
export function cycleMermaid(diagram: CycleDiagram): string {
  const quote = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;
  const lines = ["flowchart LR", ...diagram.nodes.map((n) => `  ${n.id}[${quote(n.label)}]`), ...diagram.edges.map((e) => `  ${e.from} -- ${quote(e.kind)} --> ${e.to}`)];
  return lines.join("\n");
}

/** An anomaly explained: what it is, the transactions involved, and why (each dependency of a cycle). */
export function explainAnomaly(anomaly: Anomaly, txns: readonly Txn[], shape: TxnShape): string {
  if (isCycleAnomaly(anomaly)) {
    const title = anomaly.lostUpdate ? `${anomaly.kind} (${anomalyNames[anomaly.kind]}: here a lost update)` : `${anomaly.kind} (${anomalyNames[anomaly.kind]})`;
    const lines = [`${title}, a cycle of ${anomaly.cycle.length} transactions: ${drawCycle(anomaly.cycle)}`];
    for (const d of anomaly.cycle) lines.push(`  ${describeTxn(txns[d.from]!)}`);
    for (const d of anomaly.cycle) lines.push(`  ${name(d.from)} → ${name(d.to)} (${d.kind}): ${describeDependency(d, shape)}`);
    lines.push(`  ${cycleMeaning(anomaly)}`);
    return lines.join("\n");
  }
  return `${anomaly.kind} (${anomalyNames[anomaly.kind]}): ${readMeaning(anomaly, shape)}\n${involved(anomaly).map((id) => `  ${describeTxn(txns[id]!)}`).join("\n")}`;
}

function involved(a: ReadAnomaly): number[] {
  return [...new Set([a.reader, ...(a.writer === undefined ? [] : [a.writer]), ...(a.other === undefined ? [] : [a.other])])];
}

function cycleMeaning(a: CycleAnomaly): string {
  switch (a.kind) {
    case "G0":
      return "Each transaction's writes come after another's and before it again: their writes interleave, so no order of whole transactions produced these versions.";
    case "G1c":
      return "Information flows in a circle: each transaction saw or overwrote what the one before it wrote, so each must have committed before the other.";
    case "G-single":
      return a.lostUpdate
        ? "Both read the same version and both wrote the key: one overwrote the other's update without having seen it. Snapshot isolation's first-committer-wins rule forbids it."
        : "Exactly one transaction missed a write that the others' order puts before it: no single snapshot explains what it read. Snapshot isolation forbids it; read committed allows it.";
    case "G2":
      return "Two or more transactions each missed a write of another (anti-dependencies): each read a snapshot that the other's write invalidated, as in write skew. Snapshot isolation allows it; serializability does not.";
  }
}

function readMeaning(a: ReadAnomaly, shape: TxnShape): string {
  const k = `key ${keyText(a.key)}`;
  const r = show(a.read, 60);
  const appended = shape === "list-append" ? "appended" : "wrote";
  switch (a.kind) {
    case "G1a":
      return `${name(a.reader)} read ${k} = ${r}, which holds ${show(a.expected ?? a.read)} that ${name(a.writer!)} ${appended}, and ${name(a.writer!)} failed: a write that was rolled back must never be seen.`;
    case "G1b":
      return `${name(a.reader)} read ${k} = ${r}: ${name(a.writer!)} ${appended} more to ${k} later in the same transaction, so this was an intermediate version, never committed.`;
    case "internal":
      return `${name(a.reader)} read ${k} = ${r}, but its own earlier operations on ${k} say it should be ${show(a.expected ?? null, 60)}.`;
    case "incompatible-order":
      return `${name(a.reader)} read ${k} = ${r} and ${name(a.other!)} read ${show(a.expected ?? null, 60)}: neither is a prefix of the other, so no one order of appends explains both.`;
    case "non-repeatable-read":
      return `${name(a.reader)} read ${k} = ${r}, but its earlier read of ${k} and its own writes since say ${show(a.expected ?? null, 60)}: another transaction's commit showed up in the middle of it. Read committed allows it; a snapshot does not.`;
    case "duplicate-elements":
      return `${name(a.reader)} read ${k} = ${r}: ${show(a.expected ?? null)} appears twice, but it was appended once.`;
    case "garbage-read":
      return `${name(a.reader)} read ${k} = ${r}: no transaction ${appended} ${show(a.expected ?? a.read)} to ${k}.`;
    case "lost-update":
      return `${name(a.reader)} and ${name(a.other!)} both read ${k} = ${r} and both ${appended} to ${k}: whichever committed second overwrote the first's update without seeing it.`;
  }
}
