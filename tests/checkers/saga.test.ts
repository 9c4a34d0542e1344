// The saga checks on hand-made runs: the services' observations of each saga, and the clients' requests.
// Each rule both ways: a run that keeps it passes, the smallest run that breaks it fails, naming the saga.
import { describe, expect, it } from "vitest";
import { checkAllOrNothing, checkIdempotent, checkReverseOrder, sagaRecords, sagaState, type SagaStep } from "../../graders/checkers/saga.ts";
import type { NodeCheckFn } from "../../graders/harness/node/run.ts";

type RunData = Parameters<NodeCheckFn>[0];

const steps: SagaStep[] = [
  { op: "create", undo: "cancel" },
  { op: "reserve", undo: "release" },
  { op: "charge", undo: "refund", noun: "a double charge" },
  { op: "approve" },
];
const service: Record<string, string> = { create: "orders", cancel: "orders", approve: "orders", reserve: "inventory", release: "inventory", charge: "payment", refund: "payment" };

class Run {
  history: RunData["history"] = [];
  observations: NonNullable<RunData["observations"]> = [];
  order(id: string, atMs: number, accepted = true): this {
    this.history.push({ process: "c1", type: "invoke", f: "place", value: { id }, timeMs: atMs, node: "n1" } as RunData["history"][number]);
    this.history.push({ process: "c1", type: accepted ? "ok" : "info", f: "place", value: { id }, timeMs: atMs + 5, node: "n1" } as RunData["history"][number]);
    return this;
  }
  did(id: string, atMs: number, ...ops: string[]): this {
    for (const [i, spec] of ops.entries()) {
      const [op, outcome = "applied", key = `${id}:${op}`] = spec.split(" ");
      this.observations.push({ node: service[op!]!, timeMs: atMs + i * 10, value: { saga: id, op, key, outcome } });
    }
    return this;
  }
  data(): RunData {
    return { history: this.history, observations: this.observations } as unknown as RunData;
  }
}

const allOrNothing = checkAllOrNothing(steps, "place");
const idempotent = checkIdempotent(steps, "place");
const reverse = checkReverseOrder(steps, "place");
const committedAnd = (r: Run) => r.order("ok", 0).did("ok", 10, "create", "reserve", "charge", "approve");

describe("all-or-nothing", () => {
  it("passes a committed saga and a compensated one, and reports the time to the final state", () => {
    const r = committedAnd(new Run()).order("no", 100).did("no", 110, "create", "reserve", "charge refused", "release", "cancel");
    const result = allOrNothing(r.data(), {});
    expect(result.ok).toBe(true);
    expect(result.metrics).toMatchObject({ committed: 1, compensated: 1, finalMaxMs: 50 });
  });

  it("fails a saga charged and never approved nor refunded", () => {
    const r = committedAnd(new Run()).order("half", 100).did("half", 110, "create", "reserve", "charge");
    expect(allOrNothing(r.data(), {}).message).toMatch(/Saga half ended half done: approve never applied/);
  });

  it("fails a compensation that forgets a step", () => {
    const r = committedAnd(new Run()).order("no", 100).did("no", 110, "create", "reserve", "charge refused", "cancel");
    expect(allOrNothing(r.data(), {}).message).toMatch(/Saga no ended half done: reserve was applied and never undone/);
  });

  it("fails an accepted saga that nothing was ever done for", () => {
    const r = committedAnd(new Run()).order("lost", 100);
    expect(allOrNothing(r.data(), {}).message).toMatch(/Saga lost was accepted .* no service ever applied/);
  });

  it("fails a saga compensated though nothing refused it (a timeout taken for a no)", () => {
    const r = committedAnd(new Run()).order("gaveup", 100).did("gaveup", 110, "create", "reserve", "charge dropped", "release", "cancel");
    expect(allOrNothing(r.data(), {}).message).toMatch(/Saga gaveup was compensated although no service refused/);
  });

  it("fails a saga sealed before its payment", () => {
    const r = committedAnd(new Run()).order("early", 100).did("early", 110, "create", "reserve", "approve", "charge");
    expect(allOrNothing(r.data(), {}).message).toMatch(/approve was applied at 130 ms, before charge/);
  });

  it("tells the states apart", () => {
    const one = (...ops: string[]) => sagaState(sagaRecords(new Run().did("s", 0, ...ops).data(), "place").get("s")!, steps).kind;
    expect(one("create", "reserve", "charge", "approve")).toBe("committed");
    expect(one("create", "reserve refused", "cancel")).toBe("compensated");
    expect(one("create", "reserve", "release")).toBe("half");
    expect(one("create", "refund")).toBe("half");
  });
});

describe("idempotent", () => {
  it("passes when retries were recognised by their key", () => {
    const r = committedAnd(new Run()).did("ok", 100, "charge duplicate", "approve duplicate");
    expect(idempotent(r.data(), {})).toMatchObject({ ok: true, metrics: { duplicatesAbsorbed: 2 } });
  });

  it("fails a double charge made with two keys", () => {
    const r = committedAnd(new Run()).did("ok", 100, "charge applied retry-2");
    expect(idempotent(r.data(), {}).message).toMatch(/Saga ok: charge was applied 2 times \(a double charge\), with idempotency keys ok:charge, retry-2/);
  });

  it("fails a refund applied twice, or for a charge that never happened", () => {
    const twice = new Run().order("no", 0).did("no", 10, "create", "reserve", "charge", "refund", "refund applied again", "release", "cancel");
    expect(idempotent(twice.data(), {}).message).toMatch(/refund was applied 2 times for 1 charge/);
    const phantom = new Run().order("no", 0).did("no", 10, "create", "reserve", "charge refused", "refund", "release", "cancel");
    expect(idempotent(phantom.data(), {}).message).toMatch(/refund was applied 1 times for 0 charge/);
  });
});

describe("reverse-order", () => {
  it("passes undos last first", () => {
    const r = new Run().order("no", 0).did("no", 10, "create", "reserve", "charge", "approve refused", "refund", "release", "cancel");
    expect(reverse(r.data(), {})).toMatchObject({ ok: true, metrics: { sagasJudged: 1 } });
  });

  it("fails an earlier step undone before a later one", () => {
    const r = new Run().order("no", 0).did("no", 10, "create", "reserve", "charge refused", "cancel", "release");
    expect(reverse(r.data(), {}).message).toMatch(/Saga no: cancel \(undoing step 1, create\) took effect at 40 ms, before release \(undoing step 2, reserve\) at 50 ms/);
  });

  it("fails a run with nothing to judge", () => {
    expect(reverse(committedAnd(new Run()).data(), {}).ok).toBe(false);
  });
});
