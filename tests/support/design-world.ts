// A design-engine world for one component called directly in a model test: the world's network, slots and
// service times, no learner and no simulation around it (its hooks do nothing). `after` runs a callback a
// virtual delay later on the world's event queue.
import { EventQueue } from "../../graders/design/events.ts";
import { LinkUniverse } from "../../graders/design/links.ts";
import { Topology } from "../../graders/design/topology.ts";
import { createRng } from "../../graders/sim/prng.ts";

export function directWorld(regions: string[], seed: number) {
  const events = new EventQueue();
  const topology = new Topology(regions, createRng(seed, "net"));
  const afterKind = events.on((fn: () => void) => fn());
  const host = {
    events,
    topology,
    universe: new LinkUniverse(1000, 0.99),
    rng: createRng(seed, "world"),
    weight: 1,
    after: (ms: number, fn: () => void) => events.at(events.nowMs + ms, afterKind, fn),
    runHandler: () => {},
    callFrom: () => {},
    transfer: () => {},
    designError: () => {},
    lostWrite: () => {},
    newInstance: () => 1,
    instanceGone: () => {},
  };
  return { events, topology, host };
}
