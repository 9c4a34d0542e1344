/** The client history: Jepsen's operation records, in the order they happened in virtual time. */
export type OpType = "invoke" | "ok" | "fail" | "info";

export interface HistoryOp {
  /** The client that performed it ("c1"…). */
  process: string;
  type: OpType;
  /** The operation: "echo", "generate", "broadcast", "read", "add", … */
  f: string;
  value: unknown;
  timeMs: number;
  /** The node the request went to. */
  node: string;
  /** Error code of a `fail` or `info` completion, when there was one. */
  code?: number;
}

/** One message in the trace, for the sequence view and message statistics. */
export interface TraceEntry {
  src: string;
  dest: string;
  type: string;
  sendMs: number;
  /** When it arrived, or undefined when it never did. */
  recvMs?: number;
  fate: "delivered" | "lost" | "partition" | "crashed" | "in-flight";
  bytes: number;
}
