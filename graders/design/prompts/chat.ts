/**
 * "Design a chat service": users keep a connection open to a gateway (connect), send messages to their
 * conversations (send) and their devices fetch what they have not seen yet (sync). At launch: 2 million
 * users connected at the daily peak, 40,000 requests a second (35% sends, 60% syncs, 5% connects), users
 * in North America (65%) and Europe (35%); a conversation's home is the region of most of its members,
 * and 85% of the traffic of a conversation comes from its home region. One send in 250 loses its
 * acknowledgement on the way back to the phone (mobile networks), so the client sends it again with the
 * same message id.
 *
 * Correctness, judged on what users got back (sync answers list positions after + 1, after + 2, …):
 * - no duplicates: a message (by its id) is at one position of its conversation, never two;
 * - no acknowledged message lost: a message whose send was acknowledged is in every sync of its
 *   conversation that began more than 5 s after the acknowledgement (a late one counts too, apart);
 * - in order: a position keeps the message first seen there, a send's acknowledged seq is where the
 *   message is, and a message acknowledged before another was sent comes before it.
 */
import type { Drawn, Prompt, Workload, WorkloadContext } from "../prompt.ts";
import { LinkUniverse } from "../links.ts";
import { hashString32 } from "../../sim/prng.ts";

const SEND = 0;
const SYNC = 1;
const CONNECT = 2;

/** Conversations at launch, and the Zipf skew of their activity. */
const conversations = 50_000_000;
const conversationSkew = 0.7;
/** Users of North America (the rest are in Europe), and the share of a conversation's traffic from its home. */
const usShare = 0.65;
const homeShare = 0.85;
/** A message is judged in syncs that began this long after its acknowledgement. */
const deliveryBoundMs = 5000;
/** Sends that continue a recent conversation (chats come in bursts), drawn from this many recent ones. */
const burstShare = 0.7;
const burstWindow = 300;
/** Syncs of a conversation with a message acknowledged a while ago (a member opening it), from this many. */
const followShare = 0.6;
const followWindow = 500;
/** Positions a device asks for again (it lost the end of its last sync). */
const overlap = 3;

const regionsOf = ["us-east-1", "eu-west-1"] as const;
type Home = (typeof regionsOf)[number];

interface Message {
  id: string;
  conversation: string;
  sentMs: number;
  ackedMs: number;
  ackSeq: number;
  /** Positions syncs showed it at (two or more: a duplicate). */
  positions: number[];
  missed: boolean;
}

interface Conversation {
  /** Message ids by position (index = position − 1), as syncs showed them. */
  known: string[];
  /** The latest first-send time among the known positions, in order (the order check's running max). */
  maxSentMs: number;
  /** Acknowledged messages, in acknowledgement order; the first `judged` of them are judged. */
  acked: Message[];
  judged: number;
}

export const chat: Prompt = {
  name: "chat",
  summary: "one-to-one and group chat: 2 M users connected at the peak, in North America and Europe",
  types: [
    { name: "send", share: 0.35, cpuMs: 0.5, timeoutMs: 1500, retries: 3, retryDelayMs: 1000, responseBytes: 150, responseLoss: 0.004 },
    { name: "sync", share: 0.6, cpuMs: 0.6, timeoutMs: 1500, retries: 2, retryDelayMs: 1000, responseBytes: 600 },
    { name: "connect", share: 0.05, cpuMs: 1, timeoutMs: 3000, retries: 2, retryDelayMs: 2000, responseBytes: 300 },
  ],
  traffic: { peakPerSec: 40_000, meanOverPeak: 0.55 },
  // The store's history: about two billion messages kept (a month of traffic), 200 bytes each.
  data: { existing: 0, skew: 0.99, entryBytes: 200, recordBytes: 200, storedRecords: 2_000_000_000 },
  staleBoundMs: deliveryBoundMs,
  connections: { type: "connect", users: 2_000_000, reconnectWithinMs: 30_000 },
  edgeKey: () => undefined,
  edgeValue: () => "",
  createWorkload: (ctx) => new ChatWorkload(ctx),
  checks: {
    duplicates(run) {
      const f = run.design.figures;
      if ((f.duplicates ?? 0) > 0) return { ok: false, message: `${f.duplicates} messages appeared twice in their conversation (e.g. ${run.design.findings.duplicates}). A client whose acknowledgement was lost sends the message again with the same id: remember the ids stored (insert refuses a taken key) and answer a repeat with the first position` };
      return { ok: true, message: `no message stored twice (${f["send.userRetries"] ?? 0} sends repeated by their clients)` };
    },
    "lost-messages"(run) {
      const f = run.design.figures;
      const lost = f.lostMessages ?? 0;
      const late = f.lateMessages ?? 0;
      if (lost > 0) return { ok: false, message: `${lost} acknowledged messages never appeared in their conversation (e.g. ${run.design.findings.lostMessages}): acknowledge a message only once it is stored where every member reads it` };
      if (late > 0) return { ok: false, message: `${late} acknowledged messages were missing from syncs begun more than ${deliveryBoundMs / 1000} s after their acknowledgement (e.g. ${run.design.findings.lateMessages}): reads from a copy that lags, or a store other than the conversation's` };
      return { ok: true, message: `every acknowledged message was in every sync begun ${deliveryBoundMs / 1000} s after it (${f.judgedMessages ?? 0} judged)` };
    },
    order(run) {
      const f = run.design.figures;
      if ((f.orderViolations ?? 0) > 0) return { ok: false, message: `${f.orderViolations} times a conversation's order broke (e.g. ${run.design.findings.orderViolations}): one conversation needs one sequence, kept by one primary, that every member reads` };
      return { ok: true, message: "every conversation kept one order, acknowledged messages before the ones sent after them" };
    },
  },
};

class ChatWorkload implements Workload {
  private readonly ctx: WorkloadContext;
  private readonly rng: ReturnType<WorkloadContext["rng"]["fork"]>;
  private readonly universe: LinkUniverse;
  private readonly messages = new Map<string, Message>();
  private readonly conversations = new Map<string, Conversation>();
  /** Conversations of recent sends, and of acknowledged messages (for the draws above). */
  private readonly recent: string[] = [];
  private readonly followed: string[] = [];
  private users = 0;
  private made = 0;
  private readonly counts = { orderViolations: 0, judgedMessages: 0, acked: 0, syncs: 0, storeLost: 0 };
  private readonly first: Record<string, string> = {};

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx;
    this.rng = ctx.rng.fork("chat");
    this.universe = new LinkUniverse(Math.round(conversations * ctx.growth), conversationSkew);
  }

  private homeOf(conversation: string): Home {
    return (hashString32(conversation) % 1000) / 1000 < usShare ? "us-east-1" : "eu-west-1";
  }

  private originFor(home: Home): Home {
    return this.rng.chance(homeShare) ? home : home === "us-east-1" ? "eu-west-1" : "us-east-1";
  }

  private conversationOf(id: string): Conversation {
    let c = this.conversations.get(id);
    if (!c) this.conversations.set(id, (c = { known: [], maxSentMs: -Infinity, acked: [], judged: 0 }));
    return c;
  }

  private pick(list: string[], window: number): string {
    return list[list.length - 1 - Math.floor(this.rng.next() * Math.min(window, list.length))]!;
  }

  connection(index: number): Drawn {
    this.users = Math.max(this.users, index + 1);
    const origin: Home = (hashString32(`u${index}`) % 1000) / 1000 < usShare ? "us-east-1" : "eu-west-1";
    return { payload: { user: `u${index}`, token: `t${index}` }, key: `u${index}`, origin };
  }

  draw(type: number, nowMs: number): Drawn {
    if (type === CONNECT) return this.connection(Math.floor(this.rng.next() * Math.max(1, this.users)));
    const rng = this.rng;
    if (type === SEND) {
      const conversation = this.recent.length > 0 && rng.chance(burstShare) ? this.pick(this.recent, burstWindow) : `c${this.universe.rankAt(rng.next())}`;
      this.recent.push(conversation);
      if (this.recent.length > 4 * burstWindow) this.recent.splice(0, this.recent.length - burstWindow);
      const home = this.homeOf(conversation);
      const id = `m${++this.made}`;
      this.messages.set(id, { id, conversation, sentMs: nowMs, ackedMs: NaN, ackSeq: 0, positions: [], missed: false });
      return { payload: { conversation, home, sender: `u${Math.floor(rng.next() * Math.max(1, this.users))}`, messageId: id, text: `hello ${id}` }, key: conversation, origin: this.originFor(home) };
    }
    const conversation = this.followed.length > 0 && rng.chance(followShare) ? this.pick(this.followed, followWindow) : `c${this.universe.rankAt(rng.next())}`;
    const home = this.homeOf(conversation);
    const known = this.conversations.get(conversation)?.known.length ?? 0;
    return { payload: { conversation, home, user: `u${Math.floor(rng.next() * Math.max(1, this.users))}`, after: Math.max(0, known - overlap) }, key: conversation, origin: this.originFor(home) };
  }

  observe(type: number, drawn: Drawn, response: unknown, sentMs: number, endMs: number): void {
    if (type === SEND) this.sent(drawn, response, endMs);
    else if (type === SYNC) this.synced(drawn, response, sentMs);
  }

  private note(kind: "orderViolations", example: () => string): void {
    this.counts[kind]++;
    this.first[kind] ??= example();
  }

  private sent(drawn: Drawn, response: unknown, endMs: number): void {
    const message = this.messages.get(String(drawn.payload.messageId))!;
    if (!Number.isNaN(message.ackedMs)) return;
    const seq = (response as { seq?: unknown } | null)?.seq;
    message.ackedMs = endMs;
    message.ackSeq = typeof seq === "number" ? seq : 0;
    this.counts.acked++;
    this.conversationOf(message.conversation).acked.push(message);
    this.followed.push(message.conversation);
    if (this.followed.length > 4 * followWindow) this.followed.splice(0, this.followed.length - followWindow);
  }

  private synced(drawn: Drawn, response: unknown, sentMs: number): void {
    this.counts.syncs++;
    const id = String(drawn.payload.conversation);
    const after = Number(drawn.payload.after);
    const c = this.conversationOf(id);
    const list = (response as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(list)) {
      this.note("orderViolations", () => `a sync of ${id} answered ${JSON.stringify(response)?.slice(0, 80)}: it returns { messages: [{ id, seq }, …] }`);
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const item = list[i] as { id?: unknown; seq?: unknown } | null;
      const position = after + 1 + i;
      const mid = typeof item?.id === "string" ? item.id : "";
      if (item?.seq !== position) {
        this.note("orderViolations", () => `a sync of ${id} after ${after} listed ${mid || JSON.stringify(item)} as seq ${String(item?.seq)} at position ${position}: the list holds positions after + 1, after + 2, … in order`);
        return;
      }
      const held = c.known[position - 1];
      if (held !== undefined) {
        if (held !== mid) this.note("orderViolations", () => `position ${position} of ${id} held ${held}, and a later sync has ${mid} there: the conversation's history changed under its readers`);
        continue;
      }
      if (position - 1 !== c.known.length) break;
      const message = this.messages.get(mid);
      if (!message || message.conversation !== id) {
        this.note("orderViolations", () => `a sync of ${id} has ${mid || "something"} at position ${position}, a message never sent to it`);
        c.known.push(mid);
        continue;
      }
      message.positions.push(position);
      c.known.push(mid);
      // A second copy is a duplicate (counted at the end, once per message), not a reordering.
      if (message.positions.length > 1) continue;
      if (c.maxSentMs > message.ackedMs) this.note("orderViolations", () => `${mid} (acknowledged at ${(message.ackedMs / 1000).toFixed(2)} s) comes after a message of ${id} sent at ${(c.maxSentMs / 1000).toFixed(2)} s, later`);
      c.maxSentMs = Math.max(c.maxSentMs, message.sentMs);
    }
    // Every message acknowledged long enough before this sync began must be in the conversation now.
    const bound = sentMs - deliveryBoundMs;
    while (c.judged < c.acked.length && c.acked[c.judged]!.ackedMs <= bound) {
      const m = c.acked[c.judged++]!;
      this.counts.judgedMessages++;
      if (m.positions.length === 0) m.missed = true;
    }
  }

  lost(_key: string): void {
    this.counts.storeLost++;
  }

  figures(): Record<string, number> {
    let lost = 0, late = 0, duplicates = 0, misplaced = 0;
    for (const m of this.messages.values()) {
      if (m.positions.length > 1) {
        duplicates++;
        this.first.duplicates ??= `${m.id} is at positions ${m.positions.join(" and ")} of ${m.conversation}`;
      } else if (m.positions.length === 1 && m.ackSeq > 0 && m.ackSeq !== m.positions[0]) {
        misplaced++;
        this.first.orderViolations ??= `${m.id} was acknowledged as seq ${m.ackSeq} but is at position ${m.positions[0]} of ${m.conversation}`;
      }
      if (!m.missed) continue;
      if (m.positions.length > 0) {
        late++;
        this.first.lateMessages ??= `${m.id} of ${m.conversation}, acknowledged at ${(m.ackedMs / 1000).toFixed(1)} s, was missing from a sync more than ${deliveryBoundMs / 1000} s later`;
      } else {
        lost++;
        this.first.lostMessages ??= `${m.id} of ${m.conversation}, acknowledged at ${(m.ackedMs / 1000).toFixed(1)} s`;
      }
    }
    return {
      messages: this.counts.acked,
      syncs: this.counts.syncs,
      judgedMessages: this.counts.judgedMessages,
      duplicates,
      lostMessages: lost,
      lateMessages: late,
      orderViolations: this.counts.orderViolations + misplaced,
      longestConversation: Math.max(0, ...[...this.conversations.values()].map((c) => c.known.length)),
    };
  }

  examples(): Record<string, string> {
    return { ...this.first };
  }
}
