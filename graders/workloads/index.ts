import { broadcast } from "./broadcast.ts";
import { echo } from "./echo.ts";
import { failureDetector } from "./failure-detector.ts";
import { gCounter } from "./g-counter.ts";
import { leaderLease } from "./leader-lease.ts";
import { linKv } from "./lin-kv.ts";
import { logicalClocks } from "./logical-clocks.ts";
import { cqrsProjection } from "./cqrs-projection.ts";
import { consensusKv } from "./consensus-kv.ts";
import { quorumKv } from "./quorum-kv.ts";
import { reliableQueue } from "./reliable-queue.ts";
import { saga } from "./saga.ts";
import { serviceDiscovery } from "./service-discovery.ts";
import { sessionKv } from "./session-kv.ts";
import { txnListAppend } from "./txn-list-append.ts";
import { uniqueIds } from "./unique-ids.ts";
import type { Workload } from "./types.ts";

export const workloads: Record<string, Workload> = {
  [echo.name]: echo,
  [failureDetector.name]: failureDetector,
  [uniqueIds.name]: uniqueIds,
  [broadcast.name]: broadcast,
  [gCounter.name]: gCounter,
  [linKv.name]: linKv,
  [quorumKv.name]: quorumKv,
  [sessionKv.name]: sessionKv,
  [txnListAppend.name]: txnListAppend,
  [reliableQueue.name]: reliableQueue,
  [saga.name]: saga,
  [serviceDiscovery.name]: serviceDiscovery,
  [leaderLease.name]: leaderLease,
  [consensusKv.name]: consensusKv,
  [logicalClocks.name]: logicalClocks,
  [cqrsProjection.name]: cqrsProjection,
};

export function getWorkload(name: string): Workload {
  const workload = workloads[name];
  if (!workload) throw new Error(`unknown workload "${name}" (known: ${Object.keys(workloads).join(", ")})`);
  return workload;
}
