// The design engine's long-lived connections and lost responses against what they must do, on the chat
// prompt's scenarios (2,000 users connected in the sample, one acknowledgement in 250 lost): a zone's
// failure makes exactly the users connected in it reconnect (all of them when the gateways sit in one
// zone, about a third of the region's users over three equal zones), every one of them is connected
// again by the end; and the users' repeats of sends are the lost responses, binomially.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import { createIsolatedVmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const sandbox = createIsolatedVmSandbox();

async function figures(file: string, task: string, seed: number): Promise<Record<string, number>> {
  const exercise = (await loadExercise("chat-design"))!;
  const scenario = exercise.tasks.find((t) => t.id === task)!.scenarios[0]!;
  const run = await sandbox.run({ scenario, knobs: expandKnobs(scenario, seed), solutionJs: await readSolutionJs(join(exercisesDir, "chat-design", file)), harness: "design", limits: { wallMs: 120_000 } });
  if (run.kind === "error") throw new Error(run.message);
  return (run.data as unknown as { design: { figures: Record<string, number> } }).design.figures;
}

/** Users connected in the sample (2,000,000 at the peak / 1,000 real requests per simulated one). */
const population = 2000;
/** Of them, in North America: users u0…u1999 whose name hashes below 65% (the prompt's rule). */
const northAmericans = 1297;

describe("a zone's failure: the users connected there reconnect (the storm)", () => {
  it("gateways in one zone: every user reconnects", async () => {
    const f = await figures("starter.ts", "zone-outage", 1);
    expect(f.faultZone).toBe(0);
    expect(f.reconnects).toBe(population);
  }, 120_000);

  it("gateways over three zones: the failed zone's third of its region's users, and all connected again at the end", async () => {
    const f = await figures(".meta/solution.ts", "zone-outage", 1);
    const regionUsers = f.faultZone! < 3 ? northAmericans : population - northAmericans;
    const expected = regionUsers / 3;
    // Binomial spread of which users sit in the zone (each connect picks a zone by instances).
    expect(Math.abs(f.reconnects! - expected)).toBeLessThan(4 * Math.sqrt(expected * (2 / 3)));
    expect(f.connectedEnd).toBe(population);
  }, 120_000);
});

describe("lost responses: the users' repeats are the share lost", () => {
  it("one in 250 acknowledgements lost: send repeats ≈ 0.004 × sends, within 4 σ", async () => {
    const f = await figures(".meta/solution.ts", "launch", 2);
    const sends = f["send.requests"]!;
    const expected = 0.004 * sends;
    expect(f["send.availability"]).toBe(1);
    expect(Math.abs(f["send.userRetries"]! - expected)).toBeLessThan(4 * Math.sqrt(expected));
    // And no other request type repeats anything in a run without faults.
    expect(f["sync.userRetries"]).toBe(0);
  }, 120_000);
});
