// The "replica-lag" fault's model: while it lasts an asynchronous replica applies writes seconds late
// (world.ts laggingDelay), and it never loses or reorders them. On a SQL store called directly (the
// world's network, slots and service times, no learner): a write read from the replica 200 ms after its
// acknowledgement is there nearly always with the normal lag (median 30 ms) and nearly never with the
// fault's (median 1.5 s); once the fault ends the replica catches up with every write.
import { expect, it } from "vitest";
import { asyncDelay, laggingDelay, SqlComponent } from "../../graders/design/world.ts";
import type { SqlConfig } from "../../graders/design/validate.ts";
import { directWorld } from "../support/design-world.ts";

function store(seed: number) {
  const { events, host } = directWorld(["us-east-1"], seed);
  const config: SqlConfig = { kind: "sql", name: "db", region: "us-east-1", zones: ["a", "b", "c"], instance: "db.r7g.large", vcpu: 2, shards: 1, shardKey: "hash", replicas: 1, replicaRegions: [], replication: "async", failoverSec: 10 };
  return { events, host, db: new SqlComponent(config, host) };
}

it.each([1, 2, 3])("a lagging replica misses what a normal one has 200 ms after the acknowledgement, and loses nothing (seed %i)", (seed) => {
  const { events, host, db } = store(seed);
  const replica = db.store.shards[0]!.copies[1]!;
  const seen = { normal: [0, 0], lagging: [0, 0] };
  const written: string[] = [];
  // A write every 20 ms for 6 s; the fault from 2 s to 4 s (then the normal lag again, and the replica catches up).
  host.after(2000, () => (db.replicaLag = laggingDelay));
  host.after(4000, () => (db.replicaLag = asyncDelay));
  for (let i = 0; i < 300; i++) {
    host.after(i * 20, () => {
      const key = `k${i}`;
      // Writes after the fault wait behind the lagging ones (a replica applies in order): judged only for loss.
      const phase = i * 20 < 2000 ? seen.normal : db.replicaLag === laggingDelay ? seen.lagging : undefined;
      db.serve("put", [key, "v"], 0, [], (r) => {
        if (!r.ok) return;
        written.push(key);
        host.after(200, () => {
          if (!phase) return;
          phase[0]!++;
          if (replica.data.get(key) === "v") phase[1]!++;
        });
      });
    });
  }
  while (events.step());
  const share = (t: number[]) => t[1]! / t[0]!;
  expect(seen.normal[0]).toBeGreaterThan(80);
  expect(seen.lagging[0]).toBeGreaterThan(80);
  expect(share(seen.normal)).toBeGreaterThan(0.9);
  expect(share(seen.lagging)).toBeLessThan(0.1);
  expect(written.length).toBe(300);
  expect(written.filter((k) => replica.data.get(k) !== "v")).toEqual([]);
  expect(db.store.lagMsMax).toBeGreaterThan(1000);
});
