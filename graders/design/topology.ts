/**
 * Regions, zones and the network between them. A zone is a failure domain (an outage takes every
 * instance in it at once); zones of a region are about a millisecond apart, regions tens of milliseconds.
 * Zones are numbered regionIndex × 3 + zoneIndex, in the order of the design's regions.
 *
 * One-way latencies (medians, lognormal jitter σ 0.25): same zone 0.1 ms, another zone of the region
 * 0.5 ms, another region half the round trip below (published inter-region round trips, rounded:
 * us-east-1 ↔ us-west-2 65 ms, us-east-1 ↔ eu-west-1 70 ms, us-west-2 ↔ eu-west-1 130 ms).
 */
import type { Rng } from "../sim/prng.ts";
import { lognormalTable } from "./sampling.ts";

export const regionNames = ["us-east-1", "us-west-2", "eu-west-1"] as const;
export const zoneNames = ["a", "b", "c"] as const;
export const zonesPerRegion = 3;

const roundTripMs: Record<string, number> = {
  "us-east-1|us-west-2": 65,
  "us-east-1|eu-west-1": 70,
  "us-west-2|eu-west-1": 130,
};

export const sameZoneMs = 0.1;
export const crossZoneMs = 0.5;

export class Topology {
  readonly regions: readonly string[];
  private readonly oneWayMs: Float64Array;
  private readonly zoneCount: number;
  private readonly jitter: () => number;
  /** A region cut off from the others (a partition), and until when; none while `cutRegion` is "". */
  private cutRegion = "";
  private cutUntilMs = 0;

  constructor(regions: readonly string[], rng: Rng) {
    this.regions = regions;
    this.zoneCount = regions.length * zonesPerRegion;
    this.oneWayMs = new Float64Array(this.zoneCount * this.zoneCount);
    for (let a = 0; a < this.zoneCount; a++) {
      for (let b = 0; b < this.zoneCount; b++) {
        const ra = Math.floor(a / zonesPerRegion);
        const rb = Math.floor(b / zonesPerRegion);
        let ms = a === b ? sameZoneMs : ra === rb ? crossZoneMs : regionRoundTripMs(regions[ra]!, regions[rb]!) / 2;
        this.oneWayMs[a * this.zoneCount + b] = ms;
      }
    }
    // exp(σ·z) at 1024 quantiles of z ~ N(0,1) (σ 0.25), one drawn per message: a lookup, not an exp.
    const table = lognormalTable(1, 0.25);
    const next = rng.next;
    this.jitter = () => table[(next() * 1024) | 0]!;
  }

  /** A zone's number from its region and zone names (−1 when the design has no such region). */
  zoneId(region: string, zone: string): number {
    const r = this.regions.indexOf(region);
    const z = (zoneNames as readonly string[]).indexOf(zone);
    return r < 0 || z < 0 ? -1 : r * zonesPerRegion + z;
  }

  regionOf(zoneId: number): number {
    return Math.floor(zoneId / zonesPerRegion);
  }

  label(zoneId: number): string {
    return `${this.regions[this.regionOf(zoneId)]}${zoneNames[zoneId % zonesPerRegion]}`;
  }

  /** Median one-way latency between two zones. */
  baseMs(from: number, to: number): number {
    return this.oneWayMs[from * this.zoneCount + to]!;
  }

  /** One message's one-way latency, jitter included. */
  sampleMs(from: number, to: number): number {
    return this.baseMs(from, to) * this.jitter();
  }

  /**
   * Cuts `region` off from every other region until `untilMs` (an inter-region partition): messages
   * between a zone in it and a zone elsewhere are lost; inside each side, nothing changes.
   */
  cut(region: string, untilMs: number): void {
    this.cutRegion = region;
    this.cutUntilMs = untilMs;
  }

  heal(): void {
    this.cutRegion = "";
  }

  /** Whether a message between two regions (by name) gets through now. */
  regionsConnected(a: string, b: string): boolean {
    return this.cutRegion === "" || a === b || (a !== this.cutRegion && b !== this.cutRegion);
  }

  /** Whether a message between two zones gets through now. */
  connected(from: number, to: number): boolean {
    if (this.cutRegion === "") return true;
    const ra = this.regionOf(from);
    const rb = this.regionOf(to);
    return ra === rb || this.regionsConnected(this.regions[ra]!, this.regions[rb]!);
  }

  /** When a message sent now between two zones can first get through: now, or when the partition heals. */
  openFromMs(from: number, to: number, nowMs: number): number {
    return this.connected(from, to) ? nowMs : Math.max(nowMs, this.cutUntilMs);
  }

  /** The kind of link between two zones, for transfer costs. */
  link(from: number, to: number): "zone" | "cross-zone" | "cross-region" {
    if (from === to) return "zone";
    return this.regionOf(from) === this.regionOf(to) ? "cross-zone" : "cross-region";
  }
}

export function regionRoundTripMs(a: string, b: string): number {
  if (a === b) return 2 * crossZoneMs;
  return roundTripMs[`${a}|${b}`] ?? roundTripMs[`${b}|${a}`] ?? 100;
}
