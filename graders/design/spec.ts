/**
 * A design as data: what the design's realm sends the engine (its functions stay in the realm; only the
 * names of its handlers travel). Each component carries `at`, where the learner built it
 * ("solution.js:L:C", mapped to their TypeScript line by the grader), so a message can point at it.
 * Nothing here is trusted: validate.ts checks every field before the engine uses one.
 */
import type { CallRules, ComponentSpec } from "../harness/design/api.ts";

export type ComponentKind = ComponentSpec["kind"];

export type ComponentData = Record<string, unknown> & { kind: ComponentKind; at?: string };

export interface DesignData {
  prompt: string;
  regions: string[];
  entry?: string;
  components: Record<string, ComponentData>;
  /** Names of the handlers for the prompt's request types, and of the internal ones. */
  handlers: string[];
  internal: string[];
  calls: Record<string, CallRules>;
  /** Where design(…) was called. */
  at?: string;
}
