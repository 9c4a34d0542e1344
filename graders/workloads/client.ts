import type { Body } from "../harness/node/api.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";
import { clientTimeoutMs } from "../sim/defaults.ts";
import type { ClientApi } from "./types.ts";
import { ErrorCode, isDefiniteError } from "../protocol/errors.ts";

export interface OpPlan {
  node: string;
  f: string;
  /** The invoke's value (what is written, added, broadcast…). */
  value: unknown;
  body: Body;
  /** Turns the ok reply into the completion's value (what was read, the id generated…). */
  readValue?: (reply: Body) => unknown;
  /** A reply is only ok if it has this type (default `<request type>_ok`). */
  okType?: string;
}

/** Performs one operation and records invoke and completion in the history. */
export function perform(api: ClientApi, client: string, plan: OpPlan, timeoutMs: number, then?: () => void): void {
  api.record({ process: client, type: "invoke", f: plan.f, value: plan.value, timeMs: api.now(), node: plan.node });
  api.call(client, plan.node, plan.body, timeoutMs, (reply) => {
    const base = { process: client, f: plan.f, node: plan.node };
    if (reply === null) {
      api.record({ ...base, type: "info", value: plan.value, timeMs: api.now(), code: 0 });
    } else if (reply.type === "error") {
      // An error without a code is read as a crash: it may or may not have taken effect.
      const code = typeof reply.code === "number" ? reply.code : ErrorCode.Crash;
      api.record({ ...base, type: isDefiniteError(code) ? "fail" : "info", value: plan.value, timeMs: api.now(), code });
    } else if (reply.type !== (plan.okType ?? `${plan.body.type}_ok`)) {
      // Not the reply the schema names: the operation's fate is unknown. diagnose.ts tells the learner
      // what was sent, what was expected and what arrived.
      api.record({ ...base, type: "info", value: plan.value, timeMs: api.now(), code: ErrorCode.MalformedRequest });
    } else {
      api.record({ ...base, type: "ok", value: plan.readValue ? plan.readValue(reply) : plan.value, timeMs: api.now() });
    }
    then?.();
  });
}

/**
 * Clients that aim at `spec.rate` ops/s all together while each keeps at most one operation in flight (as
 * Jepsen's): a client's next operation starts one exponential interval after its previous one started, or as
 * soon as that one completes if it took longer. Slow replies therefore lower the rate, as with real clients.
 *
 * They stop when the faults heal, or earlier at `spec.options.clientsStopAtMs`: faults that go on after the
 * last operation test that nodes catch up when nothing new happens, which a node that only sends on change
 * never does.
 */
export function runClients(api: ClientApi, spec: WorkloadSpec, next: (client: string) => OpPlan): void {
  const intervalMsMean = (api.clientIds.length * 1000) / spec.rate;
  const timeoutMs = clientTimeoutMs(spec);
  const stopAtMs = Number(spec.options?.clientsStopAtMs ?? Infinity);
  for (const client of api.clientIds) {
    const loop = (): void => {
      if (!api.inSafetyPhase() || api.now() >= stopAtMs) return;
      const startedMs = api.now();
      const nextAtMs = startedMs + api.rng.exponential(intervalMsMean);
      perform(api, client, next(client), timeoutMs, () => api.at(Math.max(0, nextAtMs - api.now()), loop));
    };
    api.at(api.rng.exponential(intervalMsMean), loop);
  }
}
