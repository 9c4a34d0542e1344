/**
 * The design as the report draws it: its components with their kind and size, and the calls between
 * them as they happened in the run (attempts and failed attempts per caller → callee, sampled requests,
 * unscaled). The edges a design declares (a balancer's pools, a CDN's origin, a queue's consumers, a
 * read-through cache's source) are listed even when nothing crossed them, so the drawing shows the
 * design the learner wrote, and what the traffic did to it.
 *
 * Figures, numbers only (results carry no other kind): `component.<name>.<kind>` = its size (a pool's
 * instances at the start, a cache's nodes, a store's shards or partitions, else 1),
 * `calls.<from>.<to>` = attempts, `callErrors.<from>.<to>` = attempts that failed (an error or no answer
 * within the caller's timeout). Component names cannot hold a dot (validate.ts), so the keys split
 * unambiguously; the users who send the prompt's requests are `users`.
 */
import type { ComponentConfig, DesignConfig } from "./validate.ts";

export const usersNode = "users";

export class CallGraph {
  private readonly attempts = new Map<string, number>();
  private readonly failures = new Map<string, number>();

  attempt(from: string, to: string): void {
    const key = `${from}.${to}`;
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
  }

  failed(from: string, to: string): void {
    const key = `${from}.${to}`;
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }

  figures(config: DesignConfig): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, c] of Object.entries(config.components)) out[`component.${name}.${c.kind}`] = sizeOf(c);
    const edges = new Set<string>([`${usersNode}.${config.entry}`, ...declaredEdges(config), ...this.attempts.keys()]);
    for (const key of [...edges].sort()) {
      out[`calls.${key}`] = this.attempts.get(key) ?? 0;
      out[`callErrors.${key}`] = this.failures.get(key) ?? 0;
    }
    return out;
  }
}

function sizeOf(c: ComponentConfig): number {
  switch (c.kind) {
    case "pool":
      return c.count;
    case "cache":
      return c.nodes;
    case "sql":
      return c.shards;
    case "kv":
      return c.partitions;
    default:
      return 1;
  }
}

function declaredEdges(config: DesignConfig): string[] {
  const edges: string[] = [];
  for (const [name, c] of Object.entries(config.components)) {
    if (c.kind === "lb") for (const pool of new Set([c.target, ...Object.values(c.routes)])) edges.push(`${name}.${pool}`);
    else if (c.kind === "cdn") edges.push(`${name}.${c.origin}`);
    else if (c.kind === "queue" && c.consumer) edges.push(`${name}.${c.consumer.pool}`);
    else if (c.kind === "cache" && c.pattern === "read-through" && c.source) edges.push(`${name}.${c.source}`);
  }
  return edges;
}
