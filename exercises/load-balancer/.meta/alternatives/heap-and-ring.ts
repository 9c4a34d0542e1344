import type { Balancer, LoadBalancers, ServerInfo } from "clusterlab";

// Other data structures for the same five strategies: a list of the healthy servers, stride scheduling,
// an indexed min-heap, a hash ring with many points per server, and a time-decayed latency estimate.

/** Round robin over the list of servers last reported up, rebuilt when health() changes it. */
function roundRobin(servers: readonly ServerInfo[]): Balancer {
  const up = new Set(servers.map((s) => s.index));
  let healthy = servers.map((s) => s.index);
  let turn = 0;
  return {
    pick() {
      if (healthy.length === 0) return 0;
      turn = (turn + 1) % healthy.length;
      return healthy[turn]!;
    },
    health(server, ok) {
      if (ok) up.add(server);
      else up.delete(server);
      healthy = servers.map((s) => s.index).filter((i) => up.has(i));
    },
  };
}

/**
 * Stride scheduling: each server has a pass that grows by 1/weight each time it is picked, and the
 * healthy server with the lowest pass goes next. A server that comes back starts at the others' pass,
 * not at the one it left with (that would hand it every request until it caught up).
 */
function weightedRoundRobin(servers: readonly ServerInfo[]): Balancer {
  const pass = servers.map(() => 0);
  const up = servers.map(() => true);
  const lowestUp = () => {
    let best = -1;
    for (const s of servers) if (up[s.index] && (best < 0 || pass[s.index]! < pass[best]!)) best = s.index;
    return best;
  };
  return {
    pick() {
      const best = lowestUp();
      if (best < 0) return 0;
      pass[best] += 1 / servers[best]!.weight;
      return best;
    },
    health(server, ok) {
      if (ok && !up[server]) {
        // The lowest pass among the others, looked up before this server counts as up again.
        const others = lowestUp();
        if (others >= 0) pass[server] = Math.max(pass[server]!, pass[others]!);
      }
      up[server] = ok;
    },
  };
}

/**
 * Least connections on an indexed binary min-heap of the healthy servers, keyed by requests in flight per
 * unit of weight, ties broken by when each was last picked (so none is favoured): O(log n) per pick and
 * per answer.
 */
function leastConnections(servers: readonly ServerInfo[]): Balancer {
  const n = servers.length;
  const inFlight = new Array<number>(n).fill(0);
  const lastPick = new Array<number>(n).fill(0);
  const heap: number[] = [];
  const at = new Array<number>(n).fill(-1);
  let picks = 0;
  const less = (a: number, b: number) => {
    const ka = inFlight[a]! / servers[a]!.weight;
    const kb = inFlight[b]! / servers[b]!.weight;
    return ka < kb || (ka === kb && lastPick[a]! < lastPick[b]!);
  };
  const place = (i: number, s: number) => {
    heap[i] = s;
    at[s] = i;
  };
  const up = (i: number) => {
    const s = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(s, heap[p]!)) break;
      place(i, heap[p]!);
      i = p;
    }
    place(i, s);
  };
  const down = (i: number) => {
    const s = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && less(heap[r]!, heap[l]!) ? r : l;
      if (!less(heap[c]!, s)) break;
      place(i, heap[c]!);
      i = c;
    }
    place(i, s);
  };
  const fix = (s: number) => {
    if (at[s]! < 0) return;
    up(at[s]!);
    down(at[s]!);
  };
  for (const s of servers) {
    place(heap.length, s.index);
    up(heap.length - 1);
  }
  return {
    pick() {
      const best = heap[0];
      if (best === undefined) return 0;
      inFlight[best]++;
      lastPick[best] = ++picks;
      fix(best);
      return best;
    },
    // Every request that was picked ends here once, whatever its outcome: count it out every time.
    done(server) {
      inFlight[server]--;
      fix(server);
    },
    health(server, ok) {
      const i = at[server]!;
      if (ok && i < 0) {
        place(heap.length, server);
        up(heap.length - 1);
      } else if (!ok && i >= 0) {
        const last = heap.pop()!;
        at[server] = -1;
        if (last !== server) {
          place(i, last);
          fix(last);
        }
      }
    },
  };
}

/** MurmurHash3's 32-bit finaliser over a string's FNV-1a: cheap, and nearby inputs land far apart. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A consistent-hash ring: each server owns many points; a client goes to the first healthy server's
 * point clockwise from the client's hash. A failed server's points are skipped, so its clients spread
 * over the servers owning the next points, and come back when it does.
 */
function ipHash(servers: readonly ServerInfo[]): Balancer {
  const pointsPerServer = 400;
  const ring: Array<{ at: number; server: number }> = [];
  for (const s of servers) for (let v = 0; v < pointsPerServer; v++) ring.push({ at: hash32(`${s.name}#${v}`), server: s.index });
  ring.sort((a, b) => a.at - b.at || a.server - b.server);
  const up = servers.map(() => true);
  return {
    pick(client) {
      const h = hash32(String(client));
      let lo = 0;
      let hi = ring.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ring[mid]!.at < h) lo = mid + 1;
        else hi = mid;
      }
      for (let k = 0; k < ring.length; k++) {
        const point = ring[(lo + k) % ring.length]!;
        if (up[point.server]) return point.server;
      }
      return 0;
    },
    health(server, ok) {
      up[server] = ok;
    },
  };
}

/**
 * Power of two choices with a latency estimate that fades with time rather than with answers: a server
 * heard from seldom is not judged on an old sample. Cost: the estimate times (requests in flight + 1).
 */
function powerOfTwo(servers: readonly ServerInfo[]): Balancer {
  const decayMs = 300;
  const inFlight = servers.map(() => 0);
  const latencyMs = servers.map(() => 1);
  const heardAt = servers.map(() => 0);
  const up = servers.map(() => true);
  const cost = (s: number) => latencyMs[s]! * (inFlight[s]! + 1);
  const randomUp = (except: number): number => {
    const choices = servers.filter((s) => up[s.index] && s.index !== except);
    return choices.length ? choices[Math.floor(Math.random() * choices.length)]!.index : except;
  };
  return {
    pick() {
      const a = randomUp(-1);
      if (a < 0) return 0;
      const b = randomUp(a);
      const best = cost(b) < cost(a) ? b : a;
      inFlight[best]++;
      return best;
    },
    done(server, ms, ok) {
      inFlight[server]--;
      // Only answers that came back ok say how fast a server is: a timeout is the client's patience.
      if (!ok) return;
      const now = Date.now();
      const keep = decayMs / (decayMs + (now - heardAt[server]!));
      heardAt[server] = now;
      // A slower answer counts at once; a faster one moves the estimate by how long it has been.
      latencyMs[server] = ms > latencyMs[server]! ? ms : latencyMs[server]! * keep + ms * (1 - keep);
    },
    health(server, ok) {
      up[server] = ok;
    },
  };
}

export default { roundRobin, weightedRoundRobin, leastConnections, ipHash, powerOfTwo } satisfies LoadBalancers;
