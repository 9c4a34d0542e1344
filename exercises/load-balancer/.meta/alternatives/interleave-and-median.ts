import type { Balancer, LoadBalancers, ServerInfo } from "clusterlab";

// Other algorithms for the same five strategies: a rotating offset, interleaved weighted round robin
// (as LVS schedules), a scan with random tie-breaks, modulo hashing with rendezvous failover, and a
// windowed median of latency.

function healthTracker(servers: readonly ServerInfo[]) {
  const up = servers.map(() => true);
  return {
    up,
    health(server: number, ok: boolean) {
      up[server] = ok;
    },
  };
}

/** A counter of requests; each pick is the counter's position among the servers up, so the turns stay even when one drops out. */
function roundRobin(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  let count = 0;
  return {
    pick() {
      const healthy = servers.filter((s) => up[s.index]);
      if (healthy.length === 0) return 0;
      return healthy[count++ % healthy.length]!.index;
    },
    health,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Interleaved weighted round robin: a current weight steps down from the largest by the weights' common
 * divisor, and each round every server whose weight reaches it takes a turn. Down servers are left out
 * of the weights, so their share spreads over the others in proportion.
 */
function weightedRoundRobin(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  let i = -1;
  let current = 0;
  return {
    pick() {
      const weights = servers.map((s) => (up[s.index] ? s.weight : 0));
      const most = Math.max(...weights);
      if (most <= 0) return 0;
      const step = weights.reduce((g, w) => (w > 0 ? gcd(g, w) : g), 0);
      for (;;) {
        i = (i + 1) % servers.length;
        if (i === 0) {
          current -= step;
          if (current <= 0) current = most;
        }
        if (weights[i]! >= current) return i;
      }
    },
    health,
  };
}

/** Least connections by a scan; among the servers tied for fewest, a random one. */
function leastConnections(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  const inFlight = servers.map(() => 0);
  return {
    pick() {
      let best: number[] = [];
      let fewest = Infinity;
      for (const s of servers) {
        if (!up[s.index]) continue;
        const load = inFlight[s.index]! / s.weight;
        if (load < fewest) {
          fewest = load;
          best = [s.index];
        } else if (load === fewest) best.push(s.index);
      }
      const chosen = best.length ? best[Math.floor(Math.random() * best.length)]! : 0;
      inFlight[chosen]++;
      return chosen;
    },
    // Errors, timeouts and refusals end a request as surely as a success does.
    done(server) {
      inFlight[server]--;
    },
    health,
  };
}

function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A client's home is its hash modulo the number of servers, as long as that server is up; while it is
 * down, the client goes to the healthy server with the highest hash of (client, server), so the failed
 * server's clients spread over all the others, and only they move.
 */
function ipHash(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  return {
    pick(client) {
      const home = mix32(client) % servers.length;
      if (up[home]) return home;
      let best = home;
      let bestScore = -1;
      for (const s of servers) {
        if (!up[s.index]) continue;
        const score = mix32(mix32(client) ^ Math.imul(s.index + 1, 0x9e3779b9));
        if (score > bestScore) {
          best = s.index;
          bestScore = score;
        }
      }
      return best;
    },
    health,
  };
}

/**
 * Power of two choices on the median of each server's last 15 successful latencies times its requests in
 * flight (plus one): a median shrugs off one odd answer, and a server that turned slow shows within a few.
 */
function powerOfTwo(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  const window = 15;
  const inFlight = servers.map(() => 0);
  const recent: number[][] = servers.map(() => []);
  const median = (s: number) => {
    const xs = recent[s]!;
    if (xs.length === 0) return 1;
    const sorted = xs.slice().sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  };
  const cost = (s: number) => median(s) * (inFlight[s]! + 1);
  const randomUp = (): number => {
    for (let tries = 0; tries < 16; tries++) {
      const s = Math.floor(Math.random() * servers.length);
      if (up[s]) return s;
    }
    return Math.max(0, up.findIndex((u) => u));
  };
  return {
    pick() {
      const a = randomUp();
      let b = randomUp();
      if (b === a) b = randomUp();
      const best = cost(b) < cost(a) ? b : a;
      inFlight[best]++;
      return best;
    },
    done(server, ms, ok) {
      inFlight[server]--;
      if (!ok) return;
      const xs = recent[server]!;
      xs.push(ms);
      if (xs.length > window) xs.shift();
    },
    health,
  };
}

export default { roundRobin, weightedRoundRobin, leastConnections, ipHash, powerOfTwo } satisfies LoadBalancers;
