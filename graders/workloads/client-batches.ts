import { clientTimeoutMs } from "../sim/defaults.ts";
import { perform, type OpPlan } from "./client.ts";
import type { ClientApi } from "./types.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";

/**
 * Performs a list of operations with all clients, each client one at a time (round-robin shares), and calls
 * `done` once every operation has completed or timed out. For final phases that must happen in steps
 * (repair reads first, then inspect every replica).
 */
export function performAll(api: ClientApi, spec: WorkloadSpec, plans: readonly OpPlan[], done: () => void = () => {}): void {
  const clients = api.clientIds;
  let remaining = clients.length;
  const finished = () => {
    if (--remaining === 0) done();
  };
  clients.forEach((client, k) => {
    const mine = plans.filter((_, i) => i % clients.length === k);
    const next = (i: number): void => {
      if (i < mine.length) perform(api, client, mine[i]!, clientTimeoutMs(spec), () => next(i + 1));
      else finished();
    };
    next(0);
  });
}
