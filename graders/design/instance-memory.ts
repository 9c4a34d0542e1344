/**
 * Which process of a pool group runs a handler, for the design's module-level state. A service's
 * module-level variables are its process's memory: every instance has its own, no other instance sees
 * it, and it is gone when the instance dies. So each instance of a group has an id, and the design's
 * realm gives each id its own evaluation of the learner's module (harness/design/realm/runtime.ts),
 * made at the instance's first request. A group's instances take its handler runs in turn (round robin:
 * no draw from the run's random streams, so a design without module state runs exactly as before); a
 * crash of the group (its zone failing) forgets every copy, and scaling in forgets the removed
 * instances' copies.
 *
 * At most `copiesPerGroupMax` copies per group: a larger group's instances share them in turn (instance
 * i uses copy i mod 16). That keeps a run's copies (and the memory they hold, all inside one realm's
 * limit) bounded whatever the pool's size, and it flatters no in-process cache: every simulated request
 * stands for `weight` real ones (sampling.ts: tens to thousands), so even a copy that 60 instances share
 * sees fewer requests than one real instance would.
 */
export const copiesPerGroupMax = 16;

/** Where instance ids come from and where a gone one is reported (the engine, which tells the realm). */
export interface InstanceHost {
  /** A new id, unique within the run. */
  newInstance(): number;
  /** The instance is gone: the realm forgets its copy of the module, and what that copy held. */
  instanceGone(id: number): void;
}

export class InstanceMemory {
  /** The id of each copy (a hole: that instance has not run a handler since it started). */
  private readonly ids: Array<number | undefined> = [];
  private turn = 0;
  private readonly host: InstanceHost;

  constructor(host: InstanceHost) {
    this.host = host;
  }

  /** The instance of a group of `instances` that runs the next handler (round robin). */
  next(instances: number): number {
    const copies = Math.max(1, Math.min(instances, copiesPerGroupMax));
    const i = this.turn++ % copies;
    return this.ids[i] ?? (this.ids[i] = this.host.newInstance());
  }

  /** The group now has `instances`: the copies past that belonged to removed instances. */
  resize(instances: number): void {
    const keep = Math.min(instances, copiesPerGroupMax);
    while (this.ids.length > keep) this.forget(this.ids.pop());
  }

  /** Every instance of the group went down. */
  crash(): void {
    while (this.ids.length > 0) this.forget(this.ids.pop());
  }

  private forget(id: number | undefined): void {
    if (id !== undefined) this.host.instanceGone(id);
  }
}
