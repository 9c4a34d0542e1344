// The membership-view rules on hand-made data, each both ways, and the service-discovery checks on
// hand-made runs (observations as the workload keeps them): a run that keeps the rule passes, the smallest
// run that breaks it fails and names the instance.
import { describe, expect, it } from "vitest";
import { missingEntries, staleEntries, visibilityDelays, type Lifetime, type MemberView } from "../../graders/checkers/membership-views.ts";
import { serviceDiscovery } from "../../graders/workloads/service-discovery.ts";
import { nodeRun } from "../support/runs.ts";

const lives: Lifetime[] = [
  { member: "a", upMs: 0, downMs: 1000 },
  { member: "b", upMs: 500, downMs: Infinity },
];
const view = (invokeMs: number, members: string[], returnMs = invokeMs + 5): MemberView => ({ node: "n1", invokeMs, returnMs, members });

describe("staleEntries", () => {
  it("does not count a member listed while it is up", () => {
    expect(staleEntries([view(900, ["a", "b"])], lives)).toEqual([]);
  });
  it("counts a member listed after it went down, with how long it had been down when asked", () => {
    const [s, ...rest] = staleEntries([view(1250, ["a", "b"])], lives);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ member: "a", deadForMs: 250 });
  });
  it("judges by the time the question was asked: a member that died while the answer was on its way is not stale", () => {
    expect(staleEntries([view(995, ["a"], 1010)], lives)).toEqual([]);
  });
});

describe("missingEntries", () => {
  it("passes a view that lists every member up for the bound", () => {
    expect(missingEntries([view(1200, ["b"])], lives, 400)).toEqual([]);
  });
  it("flags a member up for the bound and alive through the answer that the view leaves out", () => {
    const missing = missingEntries([view(950, ["a"])], lives, 400);
    expect(missing.map((m) => [m.member, m.upForMs])).toEqual([["b", 450]]);
  });
  it("does not ask for a member younger than the bound, nor one that died before the answer came back", () => {
    expect(missingEntries([view(800, ["a"])], lives, 400)).toEqual([]);
    expect(missingEntries([view(998, ["b"], 1003)], lives, 400)).toEqual([]);
  });
});

describe("visibilityDelays", () => {
  it("measures from a member's start to the first answer after it that lists it", () => {
    expect(visibilityDelays([view(100, ["a"]), view(510, []), view(600, ["a", "b"])], lives)).toEqual([105, 105]);
  });
});

// A run as the workload records it: instances up/down, resolves, calls.
function run(facts: { atMs: number; value: unknown }[]) {
  return nodeRun({ scenario: { nodes: 3, workload: { name: "service-discovery", rate: 10 } }, observations: facts.map((f) => ({ node: "x", timeMs: f.atMs, value: f.value })) });
}
const serviceOf = (instance: string) => instance.split("-")[0];
const up = (instance: string, atMs: number) => ({ atMs, value: { kind: "up", service: serviceOf(instance), instance } });
const down = (instance: string, atMs: number) => ({ atMs, value: { kind: "down", service: serviceOf(instance), instance } });
const resolve = (atMs: number, instances: string[] | null, node: string | null = "n2", service = "api") => ({
  atMs: atMs + 5,
  value: { kind: "resolve", service, client: "c1", invokeMs: atMs, returnMs: atMs + 5, node, instances },
});
const checks = serviceDiscovery.checks;

describe("service-discovery checks", () => {
  const healthy = [up("api-1", 0), up("api-2", 0), up("auth-1", 0), resolve(450, ["api-1", "api-2"]), down("api-1", 500), resolve(900, ["api-1", "api-2"]), resolve(1200, ["api-2"]), resolve(1250, ["auth-1"], "n1", "auth")];

  it("no-stale-instances passes entries within the bound and fails one beyond it", () => {
    expect(checks["no-stale-instances"]!(run(healthy), { maxMs: 600 }).ok).toBe(true);
    const late = checks["no-stale-instances"]!(run([...healthy, resolve(1200, ["api-1", "api-2"])]), { maxMs: 600 });
    expect(late.ok).toBe(false);
    expect(late.message).toContain("api-1, down for 700 ms");
  });

  it("no-stale-instances fails an address no instance ever registered", () => {
    const r = checks["no-stale-instances"]!(run([...healthy, resolve(1300, ["api-9"])]), {});
    expect(r.ok).toBe(false);
    expect(r.message).toContain('"api-9"');
  });

  it("no-stale-instances fails an instance of another service than the one asked for", () => {
    const r = checks["no-stale-instances"]!(run([...healthy, resolve(1300, ["api-2", "auth-1"])]), {});
    expect(r.ok).toBe(false);
    expect(r.message).toContain('"auth-1", an instance of "auth"');
  });

  it("new-instances-visible judges each answer against the service it asked for", () => {
    // The api answers leave out auth-1 and the auth answer leaves out api-2: neither is missing.
    expect(checks["new-instances-visible"]!(run(healthy), { maxMs: 400 }).ok).toBe(true);
    const r = checks["new-instances-visible"]!(run([...healthy, resolve(1300, [], "n1", "auth")]), { maxMs: 400 });
    expect(r.ok).toBe(false);
    expect(r.message).toContain('to "auth" without auth-1');
  });

  it("new-instances-visible fails an answer without a long-lived instance", () => {
    expect(checks["new-instances-visible"]!(run(healthy), { maxMs: 400 }).ok).toBe(true);
    const r = checks["new-instances-visible"]!(run([...healthy, resolve(1300, [], "n3")]), { maxMs: 400 });
    expect(r.ok).toBe(false);
    expect(r.message).toContain('n3 answered at 1305 ms to "api" without api-2');
  });

  it("resolution-available fails a resolve no node answered", () => {
    expect(checks["resolution-available"]!(run(healthy), {}).ok).toBe(true);
    const r = checks["resolution-available"]!(run([...healthy, resolve(1300, null, null)]), {});
    expect(r.ok).toBe(false);
    expect(r.message).toContain("1 of 5 resolves");
  });

  it("a reply that carries no list of addresses fails the view checks", () => {
    const bad = { atMs: 700, value: { kind: "resolve", client: "c1", invokeMs: 695, returnMs: 700, node: "n1", instances: null, unexpected: "api-1" } };
    expect(checks["no-stale-instances"]!(run([...healthy, bad]), {}).ok).toBe(false);
    expect(checks["new-instances-visible"]!(run([...healthy, bad]), {}).ok).toBe(false);
  });
});
