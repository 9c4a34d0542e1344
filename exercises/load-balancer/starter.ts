import type { Balancer, LoadBalancers, ServerInfo } from "clusterlab";

// Each strategy is a factory: given the servers, return an object whose pick(client) chooses one.
// done(server, latencyMs, ok) and health(server, up) are optional notifications you may use.

function roundRobin(servers: readonly ServerInfo[]): Balancer {
  return { pick: () => 0 };
}

function weightedRoundRobin(servers: readonly ServerInfo[]): Balancer {
  return { pick: () => 0 };
}

function leastConnections(servers: readonly ServerInfo[]): Balancer {
  return { pick: () => 0 };
}

function ipHash(servers: readonly ServerInfo[]): Balancer {
  return { pick: (client) => 0 };
}

function powerOfTwo(servers: readonly ServerInfo[]): Balancer {
  return { pick: () => 0 };
}

export default { roundRobin, weightedRoundRobin, leastConnections, ipHash, powerOfTwo } satisfies LoadBalancers;
