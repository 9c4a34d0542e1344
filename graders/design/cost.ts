/**
 * A design's cost in dollars per month, line by line of the price table (prices.ts): what it runs
 * (instances, nodes, storage, per hour) and what its traffic costs (requests, transfer), the traffic
 * scaled from the run's sample to a month of the prompt's days at full scale.
 *
 * Monthly volumes: a run simulates the busy part of a day, so its per-second volumes are scaled by the
 * day's mean over the run's mean (meanOverPeak / peakShare), then by the seconds in a month and the sample
 * weight. An autoscaled pool pays for the instances it averaged in the run, scaled the same way, but never
 * fewer than its minimum.
 */
import { cacheNodes, dbInstances, hoursPerMonth, poolInstances, prices, providerChannels, regionFactor } from "./prices.ts";
import type { DesignConfig } from "./validate.ts";
import { KvComponent, ObjectStoreComponent, ProviderComponent, QueueComponent, type Component } from "./world.ts";

const secondsPerMonth = hoursPerMonth * 3600;

export interface CostInputs {
  weight: number;
  simulatedMs: number;
  meanOverPeak: number;
  /** The run's mean rate over the prompt's peak. */
  peakShare: number;
  transfer: { crossZone: number; crossRegion: number };
  responseBytes: number;
  world: Map<string, Component>;
  storedGb: number;
  /** Per autoscaled pool, the instances it averaged. */
  autoscaled: Map<string, number>;
  edgeRequests: number;
  /** Users' requests sent in the run (attempts included), simulated. */
  userRequests: number;
}

export function designCost(design: DesignConfig, inputs: CostInputs): Record<string, number> {
  const lines: Record<string, number> = {};
  const add = (line: string, usd: number) => void (lines[line] = (lines[line] ?? 0) + usd);
  // Simulated per-second volumes → real volumes per month.
  const perMonth = (simulated: number) => (simulated / (inputs.simulatedMs / 1000)) * inputs.weight * (inputs.meanOverPeak / inputs.peakShare) * secondsPerMonth;
  const dayShare = inputs.meanOverPeak / inputs.peakShare;
  for (const c of Object.values(design.components)) {
    const region = "region" in c ? c.region : design.regions[0]!;
    const f = regionFactor[region] ?? 1;
    switch (c.kind) {
      case "pool": {
        const averaged = inputs.autoscaled.get(c.name);
        const instances = averaged === undefined ? c.count : Math.max(c.autoscale!.min, averaged * dayShare);
        add("compute", instances * poolInstances[c.instance].usdPerHour * hoursPerMonth * f);
        break;
      }
      case "cache":
        add("cache", c.nodes * cacheNodes[c.node].usdPerHour * hoursPerMonth * f);
        break;
      case "sql": {
        const copies = 1 + c.replicas + c.replicaRegions.length;
        add("database", c.shards * copies * dbInstances[c.instance].usdPerHour * hoursPerMonth * f);
        add("storage", inputs.storedGb * copies * prices.dbStorageUsdPerGbMonth * f);
        break;
      }
      case "kv": {
        const kv = inputs.world.get(c.name) as KvComponent;
        let reads = 0, writes = 0;
        for (const s of kv.store.shards) {
          reads += s.readsServed;
          writes += s.writesServed;
        }
        add("kv requests", ((perMonth(reads) * prices.kvUsdPerMillionReads + perMonth(writes) * prices.kvUsdPerMillionWrites) / 1e6) * f);
        add("storage", inputs.storedGb * prices.kvStorageUsdPerGbMonth * f);
        break;
      }
      case "queue": {
        const q = inputs.world.get(c.name) as QueueComponent;
        add("queue", (c.partitions * prices.queueUsdPerPartitionHour * hoursPerMonth + (perMonth(q.published) * prices.queueUsdPerMillionPublishes) / 1e6) * f);
        break;
      }
      case "objectStore": {
        const o = inputs.world.get(c.name) as ObjectStoreComponent;
        add("object storage", ((perMonth(o.puts) * prices.objectUsdPerThousandPuts + perMonth(o.gets) * prices.objectUsdPerThousandGets) / 1000) * f);
        break;
      }
      case "lb": {
        // Capacity units from the users' real mean request rate.
        const lcus = perMonth(inputs.userRequests) / secondsPerMonth / prices.lbRequestsPerSecPerLcu;
        add("load balancer", (prices.lbUsdPerHour + lcus * prices.lbUsdPerLcuHour) * hoursPerMonth * f);
        break;
      }
      case "provider": {
        // Billed per delivered send, wherever the design runs (a third party's own price).
        const sends = (inputs.world.get(c.name) as ProviderComponent).delivered;
        add("notifications", perMonth(sends) * providerChannels[c.channel].usdPerSend);
        break;
      }
      case "cdn":
        add("cdn", (perMonth(inputs.edgeRequests) / 10_000) * prices.cdnUsdPerTenThousandRequests);
        break;
    }
  }
  const responseGb = perMonth(inputs.responseBytes) / 1e9;
  const viaCdn = Object.values(design.components).some((c) => c.kind === "cdn");
  add("egress", responseGb * (viaCdn ? prices.cdnUsdPerGb : prices.internetEgressUsdPerGb));
  // Cross-zone transfer is paid leaving one zone and entering the other.
  add("transfer", (perMonth(inputs.transfer.crossZone) / 1e9) * 2 * prices.crossZoneUsdPerGb + (perMonth(inputs.transfer.crossRegion) / 1e9) * prices.crossRegionUsdPerGb);
  let total = 0;
  for (const [line, usd] of Object.entries(lines)) {
    lines[line] = Math.round(usd * 100) / 100;
    total += usd;
  }
  lines.total = Math.round(total * 100) / 100;
  return lines;
}
