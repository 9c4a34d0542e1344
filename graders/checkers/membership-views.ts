/**
 * Membership views judged against the truth: a view is a list of members some node gave a client at some
 * moment (a service registry's answer to "resolve", a cluster's member list, a load balancer's pool), and a
 * lifetime is when a member really was up. Two mistakes are possible and each has a bound:
 *
 * - a stale entry: a view lists a member that had been down for longer than `staleMs` when the question was
 *   asked (the registry never forgets, or forgets too slowly);
 * - a missing entry: a view leaves out a member that had been up for `freshMs` before the question and stayed
 *   up until the answer came back (a new member is not seen, or a live one dropped out).
 *
 * A view is timed by the window [invokeMs, returnMs] in which the node answered; judging stale entries by
 * invokeMs and missing ones by the whole window never blames a node for what it could not have known.
 * Nothing here knows about registries: the workload turns its history into views and lifetimes.
 */

export interface Lifetime {
  member: string;
  upMs: number;
  /** When it went down for good (Infinity while it lives). A member that comes back is a new member. */
  downMs: number;
}

export interface MemberView {
  /** Who answered, for messages. */
  node: string;
  invokeMs: number;
  returnMs: number;
  members: readonly string[];
}

export interface StaleEntry {
  view: MemberView;
  member: string;
  /** How long the member had been down when the view was asked for. */
  deadForMs: number;
}

export interface MissingEntry {
  view: MemberView;
  member: string;
  /** How long the member had been up when the view was asked for. */
  upForMs: number;
}

/** Every listed member that was down when the view was asked for, with how long (unknown members are left to the caller). */
export function staleEntries(views: readonly MemberView[], lifetimes: readonly Lifetime[]): StaleEntry[] {
  const byId = new Map(lifetimes.map((l) => [l.member, l]));
  const out: StaleEntry[] = [];
  for (const view of views) {
    for (const member of view.members) {
      const life = byId.get(member);
      if (life && life.downMs < view.invokeMs) out.push({ view, member, deadForMs: view.invokeMs - life.downMs });
    }
  }
  return out;
}

/** Every member up for at least `freshMs` before the view was asked for, and up until it returned, that the view leaves out. */
export function missingEntries(views: readonly MemberView[], lifetimes: readonly Lifetime[], freshMs: number): MissingEntry[] {
  const out: MissingEntry[] = [];
  for (const view of views) {
    const listed = new Set(view.members);
    for (const life of lifetimes) {
      if (life.upMs + freshMs <= view.invokeMs && life.downMs > view.returnMs && !listed.has(life.member)) {
        out.push({ view, member: life.member, upForMs: view.invokeMs - life.upMs });
      }
    }
  }
  return out;
}

/**
 * How long each member took to appear: from its upMs to the first view asked for after it came up that
 * lists it (members never listed, or down before any view could see them, are left out).
 */
export function visibilityDelays(views: readonly MemberView[], lifetimes: readonly Lifetime[]): number[] {
  const sorted = [...views].sort((a, b) => a.invokeMs - b.invokeMs);
  const out: number[] = [];
  for (const life of lifetimes) {
    const first = sorted.find((v) => v.invokeMs >= life.upMs && v.returnMs <= life.downMs && v.members.includes(life.member));
    if (first) out.push(first.returnMs - life.upMs);
  }
  return out;
}
