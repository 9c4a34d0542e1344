/**
 * The engine's side of the learner realm's entry function (see harness/component/realm/runtime.ts): makes
 * instances, calls methods with numbers and strings, and turns a learner exception into a recorded error
 * (the call then returns undefined and `faults` counts it).
 */
import { ControlWord, readComponentResult } from "../protocol/component-calls.ts";
import type { RunData } from "../contract.ts";
import { runErrorsMax } from "../sim/defaults.ts";

export type ComponentEntry = (method: string, nowMs: number, instance: number, a: number, b: number, c: number, s: string, t: string) => unknown;

export class ComponentPort {
  nowMs = 0;
  faults = 0;
  readonly errors: RunData["errors"] = [];
  private readonly entry: ComponentEntry;
  /** The realm's name in errors and logs. */
  readonly realm: string;

  constructor(entry: ComponentEntry, seed: number, realm = "component") {
    this.entry = entry;
    this.realm = realm;
    this.check(entry(ControlWord.Seed, 0, 0, seed, 0, 0, "", ""));
  }

  /** Makes an instance from the default export (or its `factory`): its number, or undefined on a fault. */
  create(factory: string | undefined, config: unknown): number | undefined {
    const entry = this.entry;
    const made = this.check(entry(ControlWord.New, this.nowMs, 0, 0, 0, 0, JSON.stringify({ factory, config }), ""));
    return typeof made === "number" ? made : undefined;
  }

  /** Calls `method` ("name|sig", see the runtime) on an instance. */
  call(instance: number, method: string, a = 0, b = 0, c = 0, s = "", t = ""): unknown {
    // Called as a plain function: a method call would hand the port itself to the realm as `this`.
    const entry = this.entry;
    return this.check(entry(method, this.nowMs, instance, a, b, c, s, t));
  }

  /** Records a wrong answer of the component as an error that names it. */
  complain(text: string): void {
    this.faults++;
    if (this.errors.length < runErrorsMax) this.errors.push({ node: this.realm, timeMs: this.nowMs, text });
  }

  logs(): RunData["logs"] {
    const entry = this.entry;
    const answer = this.check(entry(ControlWord.Logs, this.nowMs, 0, 0, 0, 0, "", ""));
    const lines: unknown = typeof answer === "string" ? JSON.parse(answer) : [];
    return Array.isArray(lines) ? lines.map((text) => ({ node: this.realm, timeMs: this.nowMs, text: String(text) })) : [];
  }

  /** Made once: what check() hands readComponentResult, so a call allocates nothing. */
  private readonly onFault = (text: string): void => this.complain(text);
  private readonly faultWords = (): unknown => {
    const entry = this.entry;
    return entry(ControlWord.Fault, this.nowMs, 0, 0, 0, 0, "", "");
  };

  private check(result: unknown): unknown {
    return readComponentResult(result, this.onFault, this.faultWords);
  }
}
