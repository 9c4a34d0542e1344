import type { Node, Message, Body } from "clusterlab";

// Viewstamped Replication's election (Oki & Liskov, 1988; Liskov & Cowling, 2012): nobody campaigns. The
// primary of view v is fixed in advance, nodeIds[v mod N]. When the primary goes quiet, the others agree to
// move on to the next view and hand their copies of the data to its primary.
//
// Durable, written before any message that depends on it: `promised`, the highest view this node handed
// its copy to (it accepts nothing from older views after that), and `copy`, its latest copy of the data
// with version [view, seq].
// - In a view, the primary applies a batch of client operations to its copy and answers the batch once a
//   majority (itself included) stored the new copy; reads take a round too.
// - A node that hears nothing from its primary for 200 ms asks everyone to start view + 1
//   (start_view_change). Once a majority asked for the same view (itself included) it promises that view
//   and hands its copy to the view's primary (do_view_change). That primary starts the view with the newest
//   copy of a majority. Any majority that promised a view shares a node with any majority that stored a
//   copy in an older one, so nothing acknowledged is lost. If the primary-to-be is down, 200 ms later the
//   nodes ask for the view after it.
// - A node cut off from the others keeps asking for later views and never gets a majority: it promised
//   nothing, so when it hears the current primary again it simply follows it.
type Version = [number, number];
interface Copy {
  version: Version;
  data: Record<string, unknown>;
}

const newer = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1];
const unavailable = (text: string): Body => ({ type: "error", code: 11, text });
const unknownOutcome = (text: string): Body => ({ type: "error", code: 0, text });
const quietMs = 200;
/** A node that asks for a view asks again (for the next) after quietMs: older asks are out of date. */
const askFreshMs = 1.5 * quietMs;

/** Resolves with the first `need` successful calls, or rejects once so many failed that `need` is out of reach. */
function quorum<T>(calls: Promise<T>[], need: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    let failed = 0;
    if (need <= 0) return resolve(got);
    for (const call of calls) {
      call.then(
        (value) => {
          got.push(value);
          if (got.length === need) resolve(got);
        },
        () => {
          if (++failed > calls.length - need) reject(new Error("no quorum"));
        },
      );
    }
  });
}

export default function start(node: Node) {
  const n = node.nodeIds.length;
  const majority = Math.floor(n / 2) + 1;
  const primaryOf = (v: number) => node.nodeIds[v % n]!;
  let promised: number = node.storage.get("promised") ?? 0;
  let copy: Copy = node.storage.get("copy") ?? { version: [0, 0], data: {} };
  const save = () => {
    node.storage.set("promised", promised);
    node.storage.set("copy", copy);
  };
  /** The view this node is in (a primary's own copy carries its view once it started it). */
  let view = promised;
  /** The view it asks for while its primary is quiet (memory only: asking promises nothing). */
  let asking = view;
  let lastHeard = node.now();
  /**
   * Who asked for each later view, and when: only recent asks count, or asks a cut-off node collected long
   * ago (from others once cut off themselves) would add up to a majority that does not exist now.
   */
  const askedFor = new Map<number, Map<string, number>>();
  const handed = new Map<number, Map<string, Copy>>();
  const queue: Message[] = [];
  let roundInFlight = false;

  const isPrimary = () => primaryOf(view) === node.id && copy.version[0] === view;

  const apply = (data: Record<string, unknown>, body: Body): Body => {
    const k = JSON.stringify(body.key);
    const exists = Object.prototype.hasOwnProperty.call(data, k);
    if (body.type === "read") return exists ? { type: "read_ok", value: data[k] } : { type: "error", code: 20, text: "key does not exist" };
    if (body.type === "write") {
      data[k] = body.value;
      return { type: "write_ok" };
    }
    if (!exists) return { type: "error", code: 20, text: "key does not exist" };
    if (JSON.stringify(data[k]) !== JSON.stringify(body.from)) return { type: "error", code: 22, text: "value differs from `from`" };
    data[k] = body.to;
    return { type: "cas_ok" };
  };

  /** Requests queued under a view we left were not applied: refusing them is a definite answer. */
  const failQueue = () => {
    for (const msg of queue.splice(0)) node.reply(msg, unavailable("view change"));
  };

  /** Promises view `v` (durably, before handing over the copy) once a majority asked for it. */
  const promise = (v: number) => {
    if (v <= promised) return;
    promised = v;
    view = v;
    asking = v;
    save();
    failQueue();
    if (primaryOf(v) === node.id) receiveCopy(v, node.id, copy);
    else node.send(primaryOf(v), { type: "do_view_change", view: v, copy });
  };

  const countAsk = (v: number, from: string) => {
    if (v <= promised) return;
    let who = askedFor.get(v);
    if (!who) askedFor.set(v, (who = new Map()));
    who.set(from, node.now());
    for (const old of askedFor.keys()) if (old <= promised) askedFor.delete(old);
    const recent = [...who].filter(([peer, t]) => peer !== node.id && node.now() - t <= askFreshMs).length;
    if (asking === v && recent + 1 >= majority) promise(v);
  };

  const receiveCopy = (v: number, from: string, c: Copy) => {
    if (v < promised || primaryOf(v) !== node.id) return;
    let copies = handed.get(v);
    if (!copies) handed.set(v, (copies = new Map()));
    copies.set(from, c);
    if (copies.size < majority || (v === view && isPrimary())) return;
    let best = copy;
    for (const h of copies.values()) if (newer(h.version, best.version) > 0) best = h;
    promised = Math.max(promised, v);
    view = v;
    asking = v;
    copy = { version: [v, best.version[1] + 1], data: best.data };
    save();
    failQueue();
    lastHeard = node.now();
    heartbeat();
  };

  const round = async () => {
    if (roundInFlight || !isPrimary() || queue.length === 0) return;
    roundInFlight = true;
    const v = view;
    const batch = queue.splice(0);
    const data = { ...copy.data };
    const answers = batch.map((msg) => apply(data, msg.body));
    copy = { version: [v, copy.version[1] + 1], data };
    save();
    const calls = node.peers.map((peer) =>
      node.rpc(peer, { type: "store", view: v, copy }, { timeoutMs: 200 }).catch((err) => {
        if (err?.body?.view > view) follow(err.body.view);
        throw err;
      }),
    );
    try {
      await quorum(calls, majority - 1);
      batch.forEach((msg, i) => node.reply(msg, answers[i]!));
    } catch {
      // Some replicas may hold the new copy and a later view may adopt it: writes have an unknown outcome.
      for (const msg of batch) node.reply(msg, msg.body.type === "read" ? unavailable("no majority") : unknownOutcome("no majority"));
    }
    roundInFlight = false;
    void round();
  };

  const heartbeat = () => {
    for (const peer of node.peers) node.send(peer, { type: "heartbeat", view, copy });
  };

  /** A later view has started elsewhere: follow it (raising a promise is always safe). */
  const follow = (v: number) => {
    if (v <= view) return;
    view = v;
    asking = v;
    promised = Math.max(promised, v);
    save();
    failQueue();
  };

  /** A message from the primary of view `v`: true when we follow that view. */
  const fromPrimary = (v: number, src: string, c: Copy): boolean => {
    if (v < promised || primaryOf(v) !== src) return false;
    follow(v);
    if (v !== view) return false;
    asking = view;
    lastHeard = node.now();
    if (newer(c.version, copy.version) > 0) {
      copy = c;
      save();
    }
    return true;
  };

  node.on("store", (msg) => {
    if (!fromPrimary(msg.body.view, msg.src, msg.body.copy)) return node.reply(msg, { type: "error", code: 22, text: "not my view", view: promised });
    node.reply(msg, { type: "store_ok" });
  });
  node.on("heartbeat", (msg) => void fromPrimary(msg.body.view, msg.src, msg.body.copy));
  node.on("start_view_change", (msg) => countAsk(msg.body.view, msg.src));
  node.on("do_view_change", (msg) => receiveCopy(msg.body.view, msg.src, msg.body.copy));

  node.every(50, () => {
    if (isPrimary()) heartbeat();
  });
  node.every(10, () => {
    if (isPrimary() || node.now() - lastHeard < quietMs) return;
    lastHeard = node.now();
    asking = Math.max(asking, view) + 1;
    for (const peer of node.peers) node.send(peer, { type: "start_view_change", view: asking });
    countAsk(asking, node.id);
  });

  const handle = async (msg: Message) => {
    if (isPrimary()) {
      queue.push(msg);
      return round();
    }
    const primary = primaryOf(view);
    if (msg.body.forwarded || primary === node.id || asking !== view) return node.reply(msg, unavailable("no primary now"));
    const { type, key, value, from, to } = msg.body;
    try {
      const answer = await node.rpc(primary, { type, key, value, from, to, forwarded: true }, { timeoutMs: 600 });
      const { msg_id: _id, in_reply_to: _re, ...body } = answer.body;
      node.reply(msg, body as Body);
    } catch (err: any) {
      if (err?.body) {
        const { msg_id: _id, in_reply_to: _re, ...body } = err.body;
        return node.reply(msg, body as Body);
      }
      node.reply(msg, type === "read" ? unavailable("primary unreachable") : unknownOutcome("primary did not answer: outcome unknown"));
    }
  };
  for (const type of ["read", "write", "cas"]) node.on(type, handle);
  // A one-node cluster is its own majority: it starts view 0 at once.
  if (n === 1 && copy.version[0] !== view) {
    copy = { version: [view, copy.version[1] + 1], data: copy.data };
    save();
  }
}
