// The message diagram of a failing run: one lifeline per node and client, an arrow per message from
// (sender, send time) to (receiver, arrival time), time flowing down. Dropped messages end in a cross,
// partitions are shaded bands, crashes, restarts and pauses are marked on the lifelines. Only a window
// of virtual time is drawn; a slider, a zoom choice and the mouse wheel move it. Clients can be hidden,
// message types filtered out, and a button moves the window to the time the failing check points at.
// With many lifelines the canvas scrolls sideways at a minimum spacing, its time axis staying in place.
import type { FaultEvent, TraceEntry } from "../../../graders/index.ts";
import type { FailingRun } from "../../grader/types.ts";
import { defaultSpan, failureTimeMs, indexTrace, laneSpacing, messageTypes, visibleMessages } from "./diagram-window.ts";
import { escapeXml, h } from "./dom.ts";
import { linkLocations } from "./locations.ts";
import { runTimeline } from "./run-timeline.ts";

const HEIGHT = 460;
const TOP = 28;
const BOTTOM = 8;
const LEFT = 56;
/** Lifelines are never closer than this: more of them scroll sideways. */
export const MIN_LANE_GAP = 52;
const MAX_ARROWS = 2500;
const ZOOMS = [20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000];

let diagramCount = 0;

interface Segment {
  i: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The trace index of the segment closest to (px, py), if one is within `radius` pixels. */
function nearest(segments: Segment[], px: number, py: number, radius: number): number | undefined {
  let best: number | undefined;
  let bestD2 = radius * radius;
  for (const s of segments) {
    const dx = s.x2 - s.x1;
    const dy = s.y2 - s.y1;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - s.x1) * dx + (py - s.y1) * dy) / len2));
    const ex = s.x1 + t * dx - px;
    const ey = s.y1 + t * dy - py;
    const d2 = ex * ex + ey * ey;
    if (d2 <= bestD2) {
      bestD2 = d2;
      best = s.i;
    }
  }
  return best;
}

const ms = (t: number) => `${Math.round(t * 10) / 10} ms`;

function niceStep(span: number): number {
  const raw = span / 6;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((f) => f * pow).find((s) => s >= raw) ?? pow * 10;
}

interface Band {
  fromMs: number;
  toMs: number;
  label: string;
}

/** Partitions last until the next heal (or the next partition, or the end of the faults). */
function partitionBands(faults: FaultEvent[], healMs: number): Band[] {
  const bands: Band[] = [];
  let open: { atMs: number; label: string } | undefined;
  const close = (at: number) => {
    if (open) bands.push({ fromMs: open.atMs, toMs: at, label: open.label });
    open = undefined;
  };
  for (const f of [...faults].sort((a, b) => a.atMs - b.atMs)) {
    if (f.kind === "partition") {
      close(f.atMs);
      open = { atMs: f.atMs, label: f.label };
    } else if (f.kind === "heal") close(f.atMs);
  }
  close(healMs);
  return bands;
}

function describe(m: TraceEntry): string {
  const route = `${m.type} ${m.src} → ${m.dest}, sent at ${ms(m.sendMs)}`;
  if (m.fate === "delivered" && m.recvMs !== undefined)
    return `${route}, received at ${ms(m.recvMs)} (${ms(m.recvMs - m.sendMs)} in flight), ${m.bytes} bytes`;
  const why = { lost: "lost by the network", partition: "dropped by a partition", crashed: "dropped: the receiver was down", "in-flight": "still in flight when the run ended" }[m.fate as Exclude<TraceEntry["fate"], "delivered">];
  return `${route}, ${why ?? m.fate}, ${m.bytes} bytes`;
}

export function renderMessageDiagram(run: FailingRun): HTMLElement {
  const id = `cl-diagram-${++diagramCount}`;
  const clients = new Set(run.clientIds);
  const indexed = indexTrace(run.trace);
  const endMs = Math.max(run.endMs, run.trace.at(-1)?.sendMs ?? 0, 1);
  const bands = partitionBands(run.faults, run.healMs);
  const failure = failureTimeMs(run);
  const types = messageTypes(run.trace);

  let span = defaultSpan(run.trace.length, endMs, ZOOMS);
  /** The segments of the last drawn window, in SVG pixels, for pointing. */
  let drawn: Segment[] = [];
  let start = 0;
  let showClients = true;
  const hiddenTypes = new Set<string>();

  const zoom = h("select", { "aria-label": "Window length", "data-zoom": true });
  for (const z of [...ZOOMS.filter((z) => z < endMs), endMs]) {
    zoom.append(h("option", { value: z, selected: z === span }, z === endMs ? `whole run (${ms(endMs)})` : `${z} ms window`));
  }
  const slider = h("input", { type: "range", min: 0, step: 1, "aria-label": "Window start (virtual time)", "data-time-slider": true });
  const position = h("output", { class: "cl-diagram__position" });
  const summary = h("p", { class: "cl-diagram__summary", "data-diagram-summary": true });
  const readout = h("p", { class: "cl-diagram__readout", "data-diagram-readout": true, "aria-live": "polite" }, "Point at an arrow to see the message.");
  // It scrolls sideways with many lifelines: focusable, so the keyboard can scroll it too.
  const canvas = h("div", { class: "cl-diagram__canvas", tabindex: 0, role: "region", "aria-label": "Message diagram (scrolls sideways)" });

  const clientToggle = h("input", { type: "checkbox", checked: true, "data-show-clients": true });
  const clientLabel = h("label", { class: "cl-diagram__toggle" }, clientToggle, ` Clients (${run.clientIds.length})`);
  const typeBoxes = types.map(({ type, count }) => {
    const box = h("input", { type: "checkbox", checked: true, value: type, "data-message-type": type });
    box.addEventListener("change", () => {
      if (box.checked) hiddenTypes.delete(type);
      else hiddenTypes.add(type);
      redraw();
    });
    return h("label", { class: "cl-diagram__toggle" }, box, ` ${type} (${count.toLocaleString("en")})`);
  });
  // Folded by default: in a narrow results column the boxes would push the canvas down.
  const filters = h(
    "details",
    { class: "cl-diagram__filters", "data-diagram-filters": true },
    h("summary", {}, `Show or hide ${[run.clientIds.length ? "clients" : "", types.length > 1 ? `message types (${types.length})` : ""].filter(Boolean).join(" and ")}`),
    h("div", { class: "cl-diagram__filter-boxes" }, run.clientIds.length ? clientLabel : null, ...typeBoxes),
  );
  const jump = failure
    ? h("button", { type: "button", class: "cl-button cl-button--small", "data-action": "jump-to-failure", title: `Moves the window to ${failure.why}` }, `Jump to the failure (${ms(failure.atMs)})`)
    : null;

  const root = h(
    "figure",
    { class: "cl-diagram", "data-message-diagram": true, tabindex: -1 },
    h("figcaption", {}, `Messages of ${run.test.name}, seed ${run.test.seed}`),
    h("div", { class: "cl-diagram__controls" }, zoom, slider, position, jump),
    types.length > 1 || run.clientIds.length ? filters : null,
    canvas,
    readout,
    summary,
  );

  /** Where the marks' labels end: the right edge of the part of the lanes on screen. */
  const markLabelX = (plotW: number) => Math.min(plotW, canvas.scrollLeft + Math.max(0, (canvas.clientWidth || plotW) - LEFT)) - 4;
  const keep = (m: TraceEntry) => !hiddenTypes.has(m.type) && (showClients || (!clients.has(m.src) && !clients.has(m.dest)));
  const filtering = () => hiddenTypes.size > 0 || !showClients;

  const draw = () => {
    const drawStarted = performance.now();
    span = Math.min(span, endMs);
    start = Math.max(0, Math.min(start, endMs - span));
    slider.max = String(Math.max(0, endMs - span));
    slider.value = String(start);
    slider.disabled = span >= endMs;
    position.value = `${ms(start)} – ${ms(start + span)}`;

    const lanes = showClients ? [...run.nodeIds, ...run.clientIds] : [...run.nodeIds];
    const laneIndex = new Map(lanes.map((name, i) => [name, i]));
    const to = start + span;
    const gap = laneSpacing((canvas.clientWidth || 640) - LEFT, lanes.length, MIN_LANE_GAP);
    const plotW = lanes.length * gap;
    const plotH = HEIGHT - TOP - BOTTOM;
    const y = (t: number) => TOP + ((t - start) / span) * plotH;
    // The plot starts at x = 0: the time axis is a separate SVG that stays put while the lanes scroll.
    const x = (lane: string) => (laneIndex.get(lane) ?? 0) * gap + gap / 2;
    const clampY = (t: number) => Math.max(TOP, Math.min(HEIGHT - BOTTOM, y(t)));
    const parts: string[] = [];
    const axis: string[] = [];

    // Partition bands and the time axis behind everything else.
    for (const b of bands) {
      if (b.toMs < start || b.fromMs > to) continue;
      const y1 = clampY(b.fromMs);
      parts.push(`<rect class="cl-diagram__partition" x="0" y="${y1}" width="${plotW}" height="${Math.max(1, clampY(b.toMs) - y1)}"><title>${escapeXml(`partition ${b.label}: ${ms(b.fromMs)} – ${ms(b.toMs)}`)}</title></rect>`);
      if (b.fromMs >= start) parts.push(`<text class="cl-diagram__band-label" x="4" y="${y1 + 12}">partition ${escapeXml(b.label)}</text>`);
    }
    const step = niceStep(span);
    for (let t = Math.ceil(start / step) * step; t <= to; t += step) {
      parts.push(`<line class="cl-diagram__tick" x1="0" x2="${plotW}" y1="${y(t)}" y2="${y(t)}"/>`);
      axis.push(`<line class="cl-diagram__tick" x1="${LEFT - 4}" x2="${LEFT}" y1="${y(t)}" y2="${y(t)}"/><text class="cl-diagram__time" x="${LEFT - 6}" y="${y(t) + 4}" text-anchor="end">${Math.round(t)}</text>`);
    }
    // Lifelines, with their labels at the top of the window.
    for (const lane of lanes) {
      const lx = x(lane);
      parts.push(`<line class="cl-diagram__lifeline${clients.has(lane) ? " cl-diagram__lifeline--client" : ""}" x1="${lx}" x2="${lx}" y1="${TOP}" y2="${HEIGHT - BOTTOM}"/>`);
      parts.push(`<text class="cl-diagram__lane" x="${lx}" y="${TOP - 10}" text-anchor="middle" data-lane="${escapeXml(lane)}">${escapeXml(lane)}</text>`);
    }
    // Crashes, restarts and pauses on the lifelines.
    const down = new Map<string, number>();
    for (const f of run.faults) {
      if (f.kind === "crash") down.set(f.node, f.atMs);
      if ((f.kind === "restart" || f.kind === "crash" || f.kind === "pause") && laneIndex.has(f.node)) {
        const lx = x(f.node);
        if (f.kind === "pause") {
          if (f.untilMs < start || f.atMs > to) continue;
          parts.push(`<rect class="cl-diagram__pause" x="${lx - 4}" y="${clampY(f.atMs)}" width="8" height="${Math.max(2, clampY(f.untilMs) - clampY(f.atMs))}"><title>${escapeXml(`${f.node} paused ${ms(f.atMs)} – ${ms(f.untilMs)}`)}</title></rect>`);
          continue;
        }
        if (f.kind === "restart") {
          const from = down.get(f.node);
          if (from !== undefined && f.atMs >= start && from <= to) {
            parts.push(`<line class="cl-diagram__down" x1="${lx}" x2="${lx}" y1="${clampY(from)}" y2="${clampY(f.atMs)}"/>`);
          }
          down.delete(f.node);
        }
        if (f.atMs < start || f.atMs > to) continue;
        const fy = y(f.atMs);
        parts.push(
          f.kind === "crash"
            ? `<path class="cl-diagram__crash" d="M${lx - 6} ${fy - 6}L${lx + 6} ${fy + 6}M${lx + 6} ${fy - 6}L${lx - 6} ${fy + 6}"><title>${escapeXml(`${f.node} crashed at ${ms(f.atMs)}`)}</title></path>`
            : `<circle class="cl-diagram__restart" cx="${lx}" cy="${fy}" r="5"><title>${escapeXml(`${f.node} restarted at ${ms(f.atMs)}`)}</title></circle>`,
        );
      }
    }
    for (const [node, from] of down) {
      if (from <= to && laneIndex.has(node)) parts.push(`<line class="cl-diagram__down" x1="${x(node)}" x2="${x(node)}" y1="${clampY(from)}" y2="${HEIGHT - BOTTOM}"/>`);
    }
    // The messages in the window. Pointing is done by distance to these segments (see `nearest`), so
    // thin arrows need no invisible hit areas and the DOM stays at one element per message.
    const { indices, total } = visibleMessages(indexed, start, to, MAX_ARROWS, filtering() ? keep : undefined);
    drawn = [];
    parts.push(`<g clip-path="url(#${id}-plot)">`);
    for (const i of indices) {
      const m = run.trace[i]!;
      const x1 = x(m.src);
      const x2 = x(m.dest);
      const y1 = y(m.sendMs);
      const client = clients.has(m.src) || clients.has(m.dest) ? " cl-diagram__msg--client" : "";
      if (m.fate === "delivered" && m.recvMs !== undefined) {
        const y2 = y(m.recvMs);
        drawn.push({ i, x1, y1, x2, y2 });
        parts.push(`<line data-i="${i}" class="cl-diagram__msg${client}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${id}-arrow)"/>`);
      } else if (m.fate === "in-flight") {
        const y2 = y(endMs);
        drawn.push({ i, x1, y1, x2, y2 });
        parts.push(`<line data-i="${i}" class="cl-diagram__msg cl-diagram__msg--inflight" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>`);
      } else {
        // Dropped: the arrow stops halfway, a little later than it left, and ends in a cross.
        const xm = (x1 + x2) / 2;
        const ym = y1 + Math.min(24, Math.abs(x2 - x1) / 4);
        drawn.push({ i, x1, y1, x2: xm, y2: ym });
        parts.push(`<path data-i="${i}" class="cl-diagram__msg cl-diagram__msg--dropped" d="M${x1} ${y1}L${xm} ${ym}M${xm - 4} ${ym - 4}L${xm + 4} ${ym + 4}M${xm + 4} ${ym - 4}L${xm - 4} ${ym + 4}"/>`);
      }
    }
    parts.push("</g>");
    // Heal, the failure's moment and the end of the run on top, across every lifeline. The labels sit
    // at the right edge of what is on screen, so they stay readable when the lanes scroll.
    const labelX = markLabelX(plotW);
    const marks: Array<[number, string, string]> = [[run.healMs, "faults healed", "heal"], [endMs, "run ends", "end"]];
    if (failure) marks.push([failure.atMs, "the failure", "failure"]);
    for (const [at, label, cls] of marks) {
      if (at < start || at > to) continue;
      parts.push(`<line class="cl-diagram__${cls}" x1="0" x2="${plotW}" y1="${y(at)}" y2="${y(at)}"${cls === "failure" ? ' data-failure-mark=""' : ""}/><text class="cl-diagram__band-label" x="${labelX}" y="${y(at) - 4}" text-anchor="end" data-mark-label="">${label} ${ms(at)}</text>`);
    }

    canvas.innerHTML =
      `<svg class="cl-diagram__axis" width="${LEFT}" height="${HEIGHT}" viewBox="0 0 ${LEFT} ${HEIGHT}" aria-hidden="true">${axis.join("")}</svg>` +
      `<svg class="cl-diagram__plot" width="${plotW}" height="${HEIGHT}" viewBox="0 0 ${plotW} ${HEIGHT}" data-arrows="${indices.length}" data-lanes="${lanes.length}" data-lane-gap="${gap.toFixed(1)}">` +
      `<defs><clipPath id="${id}-plot"><rect x="0" y="${TOP}" width="${plotW}" height="${plotH}"/></clipPath><marker id="${id}-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" class="cl-diagram__head"/></marker></defs>` +
      `${parts.join("")}</svg>`;
    const hidden = [!showClients ? "clients hidden" : "", hiddenTypes.size ? `${hiddenTypes.size} of ${types.length} message types hidden` : ""].filter(Boolean).join(", ");
    summary.textContent =
      `${total.toLocaleString("en")} of ${run.trace.length.toLocaleString("en")} messages in this window${hidden ? ` (${hidden})` : ""}` +
      (total > indices.length ? `; ${indices.length.toLocaleString("en")} of them, evenly spread, are drawn: zoom in to see every one` : "") +
      (run.truncated ? ". The trace was cut short by the simulator's cap." : ".");
    // How long building and parsing the window took (layout and paint come after): the e2e test reads it.
    canvas.dataset.drawMs = (performance.now() - drawStarted).toFixed(1);
  };

  let queued = false;
  const redraw = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      draw();
    });
  };
  zoom.addEventListener("change", () => {
    const centre = start + span / 2;
    span = Number(zoom.value);
    start = centre - span / 2;
    redraw();
  });
  slider.addEventListener("input", () => {
    start = Number(slider.value);
    redraw();
  });
  clientToggle.addEventListener("change", () => {
    showClients = clientToggle.checked;
    redraw();
  });
  jump?.addEventListener("click", () => {
    // The moment a third of the way down the window, so what led to it and what followed both show.
    start = failure!.atMs - span / 3;
    redraw();
    canvas.focus({ preventScroll: true });
  });
  canvas.addEventListener(
    "wheel",
    (event) => {
      if (span >= endMs || event.shiftKey) return; // shift+wheel keeps scrolling the lanes sideways
      event.preventDefault();
      start += (event.deltaY / (HEIGHT - TOP)) * span;
      redraw();
    },
    { passive: false },
  );
  // The marks' labels follow the visible part of the lanes.
  canvas.addEventListener(
    "scroll",
    () => {
      const plotW = Number(canvas.querySelector("svg.cl-diagram__plot")?.getAttribute("width") ?? 0);
      const lx = String(markLabelX(plotW));
      for (const label of canvas.querySelectorAll("[data-mark-label]")) label.setAttribute("x", lx);
    },
    { passive: true },
  );
  let hot: Element | null = null;
  canvas.addEventListener("mousemove", (event) => {
    const svg = canvas.querySelector("svg.cl-diagram__plot");
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const hit = nearest(drawn, event.clientX - box.left, event.clientY - box.top, 8);
    const el = hit === undefined ? null : svg.querySelector(`[data-i="${hit}"]`);
    if (el === hot) return;
    hot?.classList.remove("is-hot");
    el?.classList.add("is-hot");
    hot = el;
    if (hit !== undefined) readout.textContent = describe(run.trace[hit]!);
  });
  // Drawn once attached (lane spacing depends on the width it gets), and again when that width changes.
  new ResizeObserver(redraw).observe(canvas);
  return root;
}

export interface RunLogOptions {
  /** The learner's file name: places in it ("broadcast.ts:12:7") become buttons that move the cursor. */
  file?: string;
  goTo?(line: number, column: number): void;
}

const MAX_LOG_LINES = 300;

/**
 * What the nodes logged and the errors they threw, in the order it happened, each with the messages its
 * node received and sent at that moment, under the diagram.
 */
export function renderRunLog(run: FailingRun, options: RunLogOptions = {}): HTMLElement | undefined {
  const lines = runTimeline(run);
  const events = run.logs.length + run.errors.length;
  if (events === 0) return undefined;
  const shown = lines.slice(0, MAX_LOG_LINES);
  const text = (line: string): Array<Node | string> => (options.file && options.goTo ? linkLocations(line, options.file, options.goTo) : [line]);
  return h(
    "details",
    { class: "cl-runlog", open: run.errors.length > 0, "data-run-log": true },
    h(
      "summary",
      {},
      `Node logs and errors, with the messages around them (${run.logs.length} ${run.logs.length === 1 ? "line" : "lines"}, ${run.errors.length} ${run.errors.length === 1 ? "error" : "errors"}${lines.length > shown.length ? `; first ${shown.length} lines shown` : ""})`,
    ),
    h(
      "pre",
      { tabindex: 0 },
      ...shown.map((l) =>
        h("span", { class: `cl-runlog__${l.kind}`, "data-log-kind": l.kind }, `${ms(l.timeMs).padStart(10)}  ${l.node.padEnd(4)} `, ...text(l.text), "\n"),
      ),
    ),
  );
}
