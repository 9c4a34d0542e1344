/**
 * Judging leases and fencing tokens, from what a lock service granted (in true time), what a store
 * accepted, and what the nodes said they believed. General over any exercise with a lease-granting lock:
 * leader election on a lease, a lock held by one worker at a time, a primary that fences its writes.
 *
 * - Fencing: the writes a store accepted belong to lease terms that never go backwards. A write's term is
 *   its token when the lock granted that token to its writer; otherwise (no token, or a token of the
 *   writer's own making) the writer's latest grant when the store took the write: that is the term the
 *   writer was acting for, and it is how a zombie write of a deposed leader is seen without a token.
 * - Belief: a node says it holds the lease only while the lock's lease is truly its own. Leases do not
 *   overlap at the lock, so this is what "at most one node believes it leads at any instant" needs, and it
 *   can be judged from samples of one node at a time.
 * - Coverage: the lease lapses only when its holder was away (crashed, paused or cut off from the lock), and then another node
 *   takes it within a bound.
 */
import { presentParts, type Absence } from "./failure-detection.ts";

export { presentParts };

/** One successful acquire or renewal: `holder` holds term `token` over [fromMs, untilMs) of true time. */
export interface LeaseGrant {
  holder: string;
  token: number;
  fromMs: number;
  untilMs: number;
}

/** A write the store judged, in the order it judged them. */
export interface StoreWrite {
  timeMs: number;
  writer: string;
  /** The token the write carried, if any (any value: it is the writer's claim, not trusted). */
  token: unknown;
  accepted: boolean;
}

/** A node's answer "I hold the lease", given at some instant in [fromMs, toMs] (the probe's round trip). */
export interface LeaderClaim {
  node: string;
  fromMs: number;
  toMs: number;
}

export interface FencingViolation {
  /** The write accepted out of turn… */
  write: StoreWrite;
  /** …its term, and the later term whose write the store had already accepted. */
  term: number;
  after: { term: number; write: StoreWrite };
  /** The write carried no token the lock had granted its writer. */
  untokened: boolean;
}

/** The term a write was made for (see the header), or -1 when its writer had never been granted the lease. */
export function termOfWrite(write: StoreWrite, grants: readonly LeaseGrant[]): { term: number; untokened: boolean } {
  const own = grants.filter((g) => g.holder === write.writer);
  if (typeof write.token === "number" && own.some((g) => g.token === write.token)) return { term: write.token, untokened: false };
  let term = -1;
  for (const g of own) if (g.fromMs <= write.timeMs && g.token > term) term = g.token;
  return { term, untokened: true };
}

/** Every accepted write whose term is below that of a write the store accepted before it. */
export function fencingViolations(writes: readonly StoreWrite[], grants: readonly LeaseGrant[]): FencingViolation[] {
  const out: FencingViolation[] = [];
  let highest: { term: number; write: StoreWrite } | undefined;
  for (const write of writes) {
    if (!write.accepted) continue;
    const { term, untokened } = termOfWrite(write, grants);
    if (highest && term < highest.term) out.push({ write, term, after: highest, untokened });
    else if (!highest || term > highest.term) highest = { term, write };
  }
  return out;
}

/**
 * Claims that no instant of the node's lease can explain: every instant at which the node could have given
 * the answer (within the probe's round trip, outside its absences) lies outside every grant it held.
 * Conservative: a claim that may have been made a moment before the lease ran out is not counted.
 */
export function claimsOutsideLease(claims: readonly LeaderClaim[], grants: readonly LeaseGrant[], absences: ReadonlyMap<string, readonly Absence[]>): LeaderClaim[] {
  return claims.filter((c) => {
    const own = grants.filter((g) => g.holder === c.node);
    const parts = presentParts(c.fromMs, c.toMs, absences.get(c.node) ?? []);
    // A claim made while the node was away cannot be placed: the answer left when it came back, at a part's start.
    if (parts.length === 0) return false;
    return !parts.some(([f, t]) => own.some((g) => g.fromMs <= t && f < g.untilMs));
  });
}

/**
 * How long after its own lease had ended a claim was asked for: the start of its window minus the end of
 * the node's latest grant that had ended by then (undefined if the node had held none). A lower bound on how
 * long the node overstayed, since it answered at some instant of the window.
 */
export function claimLateMs(claim: LeaderClaim, grants: readonly LeaseGrant[]): number | undefined {
  let end = -Infinity;
  for (const g of grants) if (g.holder === claim.node && g.untilMs <= claim.fromMs && g.untilMs > end) end = g.untilMs;
  return end === -Infinity ? undefined : claim.fromMs - end;
}

/** A node's answer to "do you hold the lease?", given at some instant in [fromMs, toMs]. */
export interface RoleAnswer extends LeaderClaim {
  leader: boolean;
}

/**
 * The other side of belief: answers a node gave while it surely held the lease, `settleMs` or more into its
 * term (so that the grant's answer had time to reach it), and how many of them said "leader". A node that
 * never says it leads cannot overstay, so the belief check needs this to mean anything.
 */
export function answersWhileHolding(answers: readonly RoleAnswer[], grants: readonly LeaseGrant[], settleMs: number): { held: number; claimed: number } {
  const termStart = new Map<string, number>();
  for (const g of grants) {
    const key = `${g.holder}/${g.token}`;
    termStart.set(key, Math.min(termStart.get(key) ?? Infinity, g.fromMs));
  }
  let held = 0;
  let claimed = 0;
  for (const a of answers) {
    const within = grants.some((g) => g.holder === a.node && g.fromMs <= a.fromMs && a.toMs < g.untilMs && a.fromMs >= termStart.get(`${g.holder}/${g.token}`)! + settleMs);
    if (!within) continue;
    held++;
    if (a.leader) claimed++;
  }
  return { held, claimed };
}

/** A stretch of true time in which nobody held the lease. */
export interface LeaseGap {
  fromMs: number;
  toMs: number;
  /** Whose lease ended at fromMs (undefined for the gap before the first grant). */
  holder?: string;
  /** The holder was away (down, paused or cut off) within the lease before the gap: the lapse is the fault's. */
  holderAway: boolean;
}

/** A span of true time in which a node could not keep its lease up: down, paused, or cut off from the lock. */
export interface Away {
  fromMs: number;
  toMs: number;
}

/** The gaps in the lock's coverage over [0, endMs), each with whose lease ended and whether it was away. */
export function leaseGaps(grants: readonly LeaseGrant[], absences: ReadonlyMap<string, readonly Away[]>, leaseMs: number, endMs: number): LeaseGap[] {
  const sorted = [...grants].sort((a, b) => a.fromMs - b.fromMs);
  const gaps: LeaseGap[] = [];
  let coveredTo = 0;
  let last: LeaseGrant | undefined;
  for (const g of sorted) {
    if (g.fromMs >= endMs) break;
    if (g.fromMs > coveredTo) gaps.push(gapAfter(last, coveredTo, g.fromMs, absences, leaseMs));
    if (g.untilMs > coveredTo) {
      coveredTo = g.untilMs;
      last = g;
    }
  }
  if (coveredTo < endMs) gaps.push(gapAfter(last, coveredTo, endMs, absences, leaseMs));
  return gaps;
}

function gapAfter(last: LeaseGrant | undefined, fromMs: number, toMs: number, absences: ReadonlyMap<string, readonly Away[]>, leaseMs: number): LeaseGap {
  if (!last) return { fromMs, toMs, holderAway: false };
  // Away at any moment of the lease's last stretch (or still away): its renewals could not go out.
  const away = (absences.get(last.holder) ?? []).some((a) => a.fromMs < fromMs && a.toMs > fromMs - leaseMs);
  return { fromMs, toMs, holder: last.holder, holderAway: away };
}
