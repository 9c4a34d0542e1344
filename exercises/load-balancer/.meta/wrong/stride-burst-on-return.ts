// fails: imbalance
import type { Balancer, LoadBalancers, ServerInfo } from "clusterlab";

/** Which servers the health checker last reported up. */
function healthTracker(servers: readonly ServerInfo[]) {
  const up = servers.map(() => true);
  return {
    up,
    health(server: number, ok: boolean) {
      up[server] = ok;
    },
  };
}

function roundRobin(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  let next = 0;
  return {
    pick() {
      for (let tries = 0; tries < servers.length; tries++) {
        const s = next;
        next = (next + 1) % servers.length;
        if (up[s]) return s;
      }
      return next;
    },
    health,
  };
}

/**
 * Stride scheduling: each pick adds 1/weight to the server's pass and the lowest pass goes next. A server
 * that was down keeps the pass it left with, so when it comes back it takes every request until it has
 * caught up with the others.
 */
function weightedRoundRobin(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  const pass = servers.map(() => 0);
  return {
    pick() {
      let best = -1;
      for (const s of servers) if (up[s.index] && (best < 0 || pass[s.index]! < pass[best]!)) best = s.index;
      if (best < 0) return 0;
      pass[best] += 1 / servers[best]!.weight;
      return best;
    },
    health,
  };
}

/** Fewest requests in flight per unit of weight; ties go round the servers so none is favoured. */
function leastConnections(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  const inFlight = servers.map(() => 0);
  let start = 0;
  return {
    pick() {
      let best = -1;
      for (let i = 0; i < servers.length; i++) {
        const s = (start + i) % servers.length;
        if (!up[s]) continue;
        if (best < 0 || inFlight[s]! / servers[s]!.weight < inFlight[best]! / servers[best]!.weight) best = s;
      }
      start = (start + 1) % servers.length;
      if (best < 0) best = 0;
      inFlight[best]++;
      return best;
    },
    done(server) {
      inFlight[server]--;
    },
    health,
  };
}

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // A final mix so that nearby inputs land far apart.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Rendezvous (highest random weight) hashing: each client goes to the healthy server with the highest
 * hash of (client, server). When a server fails only its own clients move, and they come back after.
 */
function ipHash(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  return {
    pick(client) {
      let best = 0;
      let bestScore = -1;
      for (const s of servers) {
        if (!up[s.index]) continue;
        const score = hash32(`${client}/${s.name}`);
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
 * Power of two choices, latency-aware: two random healthy servers, and the one whose expected wait
 * (recent latency × requests in flight, plus one) is lower. A server that slows down looks expensive after
 * a few requests and then gets almost none; counting in-flight requests alone would keep feeding it.
 */
function powerOfTwo(servers: readonly ServerInfo[]): Balancer {
  const { up, health } = healthTracker(servers);
  const inFlight = servers.map(() => 0);
  const latencyMs = servers.map(() => 1);
  const cost = (s: number) => latencyMs[s]! * (inFlight[s]! + 1);
  const randomUp = (): number => {
    for (let tries = 0; tries < 16; tries++) {
      const s = Math.floor(Math.random() * servers.length);
      if (up[s]) return s;
    }
    return up.findIndex((u) => u);
  };
  return {
    pick() {
      const a = randomUp();
      const b = randomUp();
      const best = a < 0 ? 0 : b >= 0 && cost(b) < cost(a) ? b : a;
      inFlight[best]++;
      return best;
    },
    done(server, ms, ok) {
      inFlight[server]--;
      // A failed request's time says nothing of the server's speed (a timeout is the client's patience, a
      // refusal takes no time): only answers that came back ok move the estimate.
      if (!ok) return;
      // Peak-EWMA: a slow answer counts at once, a fast one only eases the average down.
      const previous = latencyMs[server]!;
      latencyMs[server] = ms > previous ? ms : previous * 0.9 + ms * 0.1;
    },
    health,
  };
}

export default { roundRobin, weightedRoundRobin, leastConnections, ipHash, powerOfTwo } satisfies LoadBalancers;
