/** The estimation drills, by the workload name their scenarios give. */
import type { Drill } from "../types.ts";
import { availabilityDrill } from "./availability.ts";
import { bandwidthDrill } from "./bandwidth.ts";
import { cacheDrill } from "./cache.ts";
import { costDrill } from "./cost.ts";
import { fanOutDrill } from "./fan-out.ts";
import { qpsDrill } from "./qps.ts";
import { serversDrill } from "./servers.ts";
import { storageDrill } from "./storage.ts";

export const drills: Readonly<Record<string, Drill>> = Object.fromEntries(
  [qpsDrill, storageDrill, bandwidthDrill, cacheDrill, serversDrill, fanOutDrill, availabilityDrill, costDrill].map((d) => [d.name, d]),
);

export function getDrill(name: string): Drill | undefined {
  return Object.hasOwn(drills, name) ? drills[name] : undefined;
}
