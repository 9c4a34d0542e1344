/**
 * A status probe for consensus exercises: every `everyMs` it asks each node `{type: "status", from}` and keeps
 * the answer as an observation (ClientApi.observe), or null when the node did not answer in time (it was
 * down). Checkers rebuild each node's log from the answers (checkers/consensus/status.ts).
 *
 * The answer is `{type: "status_ok", term, role, commit, length, entries}`: the node's current term, its
 * role ("leader", "candidate" or "follower"), the index of its last committed entry (0 for none), its log's
 * length, and its log entries from index `from` on (indexes start at 1). `from` is the last entry the probe
 * already holds and the node said was committed, so an answer carries that one entry again and the new and
 * uncommitted ones: a whole log in every answer would cost the run more than the protocol it watches. The
 * repeated entry shows whether the node replaced a committed entry: then the answer is kept marked
 * `rewritten` (the entries before it are unknown) and the next probe asks for the whole log.
 *
 * Probes travel as client messages: partitions and loss never touch them, and they are not node-to-node
 * messages, so msgs-per-op does not count them.
 */
import type { Body } from "../harness/node/api.ts";
import type { ClientApi } from "./types.ts";
import { jsonText } from "../report/json-text.ts";

/** What one status answer is kept as; the checkers validate the learner's fields, nothing is trusted here. */
export interface StatusAnswer {
  /** The index the probe asked from. */
  from: number;
  /** The entry at `from` is not the one the node had reported committed there. */
  rewritten?: true;
  term: unknown;
  role: unknown;
  commit: unknown;
  length: unknown;
  entries: unknown;
}

export interface ProbeOptions {
  /** Time between two probes of one node (default 20 ms). */
  everyMs?: number;
  /** How long a probe waits before it records the node as silent (default 100 ms). */
  timeoutMs?: number;
}

const nonNegativeInt = (x: unknown): number | undefined => (typeof x === "number" && Number.isSafeInteger(x) && x >= 0 ? x : undefined);

/** Starts one probe loop per node, from client `client` (any client id: nodes answer whoever asks). */
export function probeStatus(api: ClientApi, client: string, options: ProbeOptions = {}): void {
  const everyMs = options.everyMs ?? 20;
  const timeoutMs = options.timeoutMs ?? 100;
  api.nodeIds.forEach((node, i) => {
    // What the probe holds of this node's log: entries up to here need not be sent again, and the text of
    // the last of them, which the node sends again.
    let held = 0;
    let lastHeld = "";
    const loop = (): void => {
      const sentMs = api.now();
      const from = Math.max(1, held);
      api.call(client, node, { type: "status", from }, timeoutMs, (reply: Body | null) => {
        if (reply === null || reply.type !== "status_ok") {
          // Silent since the probe left (down, or not answering status): nothing it reported before holds now.
          api.observe(node, sentMs, null);
          held = 0;
        } else {
          const { term, role, commit, length, entries } = reply;
          const answer: StatusAnswer = { from, term, role, commit, length, entries };
          const c = nonNegativeInt(commit), n = nonNegativeInt(length);
          const list: unknown[] | undefined = Array.isArray(entries) ? entries : undefined;
          if (held > 0 && list && n !== undefined && n >= held && jsonText(list[0], { sortKeys: true }) !== lastHeld) answer.rewritten = true;
          api.observe(node, api.now(), answer);
          // A malformed or rewritten answer leaves the probe asking for the whole log again.
          if (c === undefined || n === undefined || !list || answer.rewritten) held = 0;
          else {
            const k = Math.min(c, n);
            // The entry at index k is list[k - from] (the answer starts at `from`), when k is not 0.
            lastHeld = k >= from ? jsonText(list[k - from], { sortKeys: true }) : lastHeld;
            held = k >= from || k === held ? k : 0;
          }
        }
        api.at(Math.max(0, sentMs + everyMs - api.now()), loop);
      });
    };
    // Spread over the interval, so that the nodes are not all asked at the same instant.
    api.at(1 + (everyMs * i) / api.nodeIds.length, loop);
  });
}
