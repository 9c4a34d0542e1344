/** The component systems, by the workload name a scenario gives. */
import { cachePatterns } from "./cache-patterns.ts";
import { canaryRollout } from "./canary-rollout.ts";
import { circuitBreaker } from "./circuit-breaker.ts";
import { consistentHashing } from "./consistent-hashing.ts";
import { loadBalancer } from "./load-balancer.ts";
import { lruCache } from "./lru-cache.ts";
import { rateLimiter } from "./rate-limiter.ts";
import type { ComponentSystem } from "./types.ts";

export const componentSystems: Record<string, ComponentSystem> = {
  [loadBalancer.name]: loadBalancer,
  [consistentHashing.name]: consistentHashing,
  [lruCache.name]: lruCache,
  [rateLimiter.name]: rateLimiter,
  [circuitBreaker.name]: circuitBreaker,
  [cachePatterns.name]: cachePatterns,
  [canaryRollout.name]: canaryRollout,
};

export function getComponentSystem(name: string): ComponentSystem | undefined {
  return Object.hasOwn(componentSystems, name) ? componentSystems[name] : undefined;
}

export { componentScenario } from "./scenario.ts";
export type { ComponentRunData, ComponentSystem } from "./types.ts";
