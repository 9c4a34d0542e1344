import type { RunStats } from "../harness/node/run.ts";

/** A run's counters before anything happened; each engine fills in what it measures. */
export function emptyRunStats(): RunStats {
  return {
    events: 0,
    simulatedMs: 0,
    serverMessages: 0,
    messagesSent: 0,
    messagesDelivered: 0,
    messagesDropped: 0,
    bytesSent: 0,
    sentByNode: {},
    traceTruncated: false,
  };
}
