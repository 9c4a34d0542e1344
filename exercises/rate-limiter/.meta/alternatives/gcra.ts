import type { RateLimiter, RateLimiterFactory } from "clusterlab";

/**
 * GCRA (the generic cell rate algorithm, as ATM networks and several API gateways police): instead of a
 * token count, each client has a theoretical arrival time (TAT), the moment its bucket would be full
 * again. A request is admitted if it does not come more than (burst − 1) intervals before the TAT; each
 * admission pushes the TAT one interval on. The same answers as a token bucket, one number per client.
 *
 * With several gateways each polices the client at its share of the rate. The share is this gateway's
 * part of the client's requests over the last ten sync periods, counted here and told by the others.
 */
const periods = 10;

const createLimiter: RateLimiterFactory = ({ ratePerSec, burst, gateways, gateway }) => {
  /** Per client, its TAT and the emission interval and bucket size it was computed with. */
  const cells = new Map<string, { tat: number; intervalMs: number; size: number }>();
  /** Per client, requests seen here in each of the last `periods` sync periods (a ring), and their sum. */
  const windows = new Map<string, { ring: number[]; sum: number }>();
  let slot = 0;
  /** Per other gateway, its last told sums per client. */
  const told = new Map<number, Record<string, number>>();
  const floor = 0.25 / gateways;

  const window = (client: string) => {
    let w = windows.get(client);
    if (!w) windows.set(client, (w = { ring: new Array<number>(periods).fill(0), sum: 0 }));
    return w;
  };
  const share = (client: string): number => {
    if (gateways === 1) return 1;
    // Until the others have spoken, this gateway cannot know its part: assume an equal one, not all.
    if (told.size < gateways - 1) return 1 / gateways;
    const here = windows.get(client)?.sum ?? 0;
    let all = here;
    for (const sums of told.values()) all += sums[client] ?? 0;
    return all === 0 ? 1 / gateways : Math.max(floor, here / all);
  };

  return {
    allow(client) {
      const w = window(client);
      w.ring[slot]!++;
      w.sum++;
      const s = share(client);
      const intervalMs = 1000 / (ratePerSec * s);
      // A gateway with a small share still lets a few through at once, as a quarter of the burst.
      const size = Math.max(burst / gateways, burst * s, 1);
      const now = Date.now();
      let cell = cells.get(client);
      if (!cell) cells.set(client, (cell = { tat: now, intervalMs, size }));
      // When the share changes, keep the room left in requests: a shorter interval or a larger bucket must
      // not turn requests already admitted into room for more (the TAT measures debt from a full bucket).
      if (cell.intervalMs !== intervalMs || cell.size !== size) {
        const room = cell.size - Math.max(0, cell.tat - now) / cell.intervalMs;
        cell.tat = now + Math.max(0, size - room) * intervalMs;
        cell.intervalMs = intervalMs;
        cell.size = size;
      }
      const arrival = Math.max(cell.tat, now);
      if (arrival - now > (size - 1) * intervalMs) return false;
      cell.tat = arrival + intervalMs;
      return true;
    },
    state() {
      const sums: Record<string, number> = {};
      for (const [client, w] of windows) sums[client] = w.sum;
      // The oldest period leaves the window.
      slot = (slot + 1) % periods;
      for (const w of windows.values()) {
        w.sum -= w.ring[slot]!;
        w.ring[slot] = 0;
      }
      return JSON.stringify({ gateway, sums });
    },
    merge(state) {
      const { gateway: from, sums } = JSON.parse(state) as { gateway: number; sums: Record<string, number> };
      told.set(from, sums);
    },
  } satisfies RateLimiter;
};

export default createLimiter;
