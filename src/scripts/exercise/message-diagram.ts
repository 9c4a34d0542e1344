// The message diagram of a failing run: one lifeline per node and client, an arrow per message from
// (sender, send time) to (receiver, arrival time), time flowing down. Dropped messages end in a cross,
// partitions are shaded bands, crashes, restarts and pauses are marked on the lifelines. Only a window
// of virtual time is drawn; a slider, a zoom choice and the mouse wheel move it.
import type { FaultEvent, TraceEntry } from "../../../graders/index.ts";
import type { FailingRun } from "../../grader/types.ts";
import { defaultSpan, indexTrace, visibleMessages } from "./diagram-window.ts";
import { escapeXml, h } from "./dom.ts";

const HEIGHT = 460;
const TOP = 28;
const BOTTOM = 8;
const LEFT = 56;
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
  const lanes = [...run.nodeIds, ...run.clientIds];
  const laneIndex = new Map(lanes.map((name, i) => [name, i]));
  const clients = new Set(run.clientIds);
  const indexed = indexTrace(run.trace);
  const endMs = Math.max(run.endMs, run.trace.at(-1)?.sendMs ?? 0, 1);
  const bands = partitionBands(run.faults, run.healMs);

  let span = defaultSpan(run.trace.length, endMs, ZOOMS);
  /** The segments of the last drawn window, in SVG pixels, for pointing. */
  let drawn: Segment[] = [];
  let start = 0;

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
  const root = h(
    "figure",
    { class: "cl-diagram", "data-message-diagram": true },
    h("figcaption", {}, `Messages of ${run.test.name}, seed ${run.test.seed}`),
    h("div", { class: "cl-diagram__controls" }, zoom, slider, position),
    canvas,
    readout,
    summary,
  );

  const draw = () => {
    const drawStarted = performance.now();
    span = Math.min(span, endMs);
    start = Math.max(0, Math.min(start, endMs - span));
    slider.max = String(Math.max(0, endMs - span));
    slider.value = String(start);
    slider.disabled = span >= endMs;
    position.value = `${ms(start)} – ${ms(start + span)}`;

    const to = start + span;
    const gap = Math.max(44, Math.min(110, ((canvas.clientWidth || 640) - LEFT) / Math.max(lanes.length, 1)));
    const width = LEFT + lanes.length * gap;
    const plotH = HEIGHT - TOP - BOTTOM;
    const y = (t: number) => TOP + ((t - start) / span) * plotH;
    const x = (lane: string) => LEFT + (laneIndex.get(lane) ?? 0) * gap + gap / 2;
    const clampY = (t: number) => Math.max(TOP, Math.min(HEIGHT - BOTTOM, y(t)));
    const parts: string[] = [];

    // Partition bands and the time axis behind everything else.
    for (const b of bands) {
      if (b.toMs < start || b.fromMs > to) continue;
      const y1 = clampY(b.fromMs);
      parts.push(`<rect class="cl-diagram__partition" x="${LEFT}" y="${y1}" width="${width - LEFT}" height="${Math.max(1, clampY(b.toMs) - y1)}"><title>${escapeXml(`partition ${b.label}: ${ms(b.fromMs)} – ${ms(b.toMs)}`)}</title></rect>`);
      if (b.fromMs >= start) parts.push(`<text class="cl-diagram__band-label" x="${LEFT + 4}" y="${y1 + 12}">partition ${escapeXml(b.label)}</text>`);
    }
    const step = niceStep(span);
    for (let t = Math.ceil(start / step) * step; t <= to; t += step) {
      parts.push(`<line class="cl-diagram__tick" x1="${LEFT - 4}" x2="${width}" y1="${y(t)}" y2="${y(t)}"/><text class="cl-diagram__time" x="${LEFT - 6}" y="${y(t) + 4}" text-anchor="end">${Math.round(t)}</text>`);
    }
    // Lifelines, with their labels at the top of the window.
    for (const lane of lanes) {
      const lx = x(lane);
      parts.push(`<line class="cl-diagram__lifeline${clients.has(lane) ? " cl-diagram__lifeline--client" : ""}" x1="${lx}" x2="${lx}" y1="${TOP}" y2="${HEIGHT - BOTTOM}"/>`);
      parts.push(`<text class="cl-diagram__lane" x="${lx}" y="${TOP - 10}" text-anchor="middle">${escapeXml(lane)}</text>`);
    }
    // Crashes, restarts and pauses on the lifelines.
    const down = new Map<string, number>();
    for (const f of run.faults) {
      if (f.kind === "crash") down.set(f.node, f.atMs);
      if (f.kind === "restart" || f.kind === "crash" || f.kind === "pause") {
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
      if (from <= to) parts.push(`<line class="cl-diagram__down" x1="${x(node)}" x2="${x(node)}" y1="${clampY(from)}" y2="${HEIGHT - BOTTOM}"/>`);
    }
    // The messages in the window. Pointing is done by distance to these segments (see `nearest`), so
    // thin arrows need no invisible hit areas and the DOM stays at one element per message.
    const { indices, total } = visibleMessages(indexed, start, to, MAX_ARROWS);
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
    // Heal and end of the run on top, across every lifeline.
    for (const [at, label, cls] of [[run.healMs, "faults healed", "heal"], [endMs, "run ends", "end"]] as const) {
      if (at < start || at > to) continue;
      parts.push(`<line class="cl-diagram__${cls}" x1="${LEFT}" x2="${width}" y1="${y(at)}" y2="${y(at)}"/><text class="cl-diagram__band-label" x="${width - 4}" y="${y(at) - 4}" text-anchor="end">${label} ${ms(at)}</text>`);
    }

    canvas.innerHTML =
      `<svg width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" data-arrows="${indices.length}">` +
      `<defs><clipPath id="${id}-plot"><rect x="0" y="${TOP}" width="${width}" height="${plotH}"/></clipPath><marker id="${id}-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" class="cl-diagram__head"/></marker></defs>` +
      `${parts.join("")}</svg>`;
    summary.textContent =
      `${total.toLocaleString("en")} of ${run.trace.length.toLocaleString("en")} messages in this window` +
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
  let hot: Element | null = null;
  canvas.addEventListener("mousemove", (event) => {
    const svg = canvas.querySelector("svg");
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

/** Lines a node wrote and errors it threw, for the failing run, under the diagram. */
export function renderRunLog(run: FailingRun): HTMLElement | undefined {
  const lines = [
    ...run.errors.map((e) => ({ ...e, error: true })),
    ...run.logs.map((l) => ({ ...l, error: false })),
  ].sort((a, b) => a.timeMs - b.timeMs);
  if (lines.length === 0) return undefined;
  const shown = lines.slice(0, 200);
  return h(
    "details",
    { class: "cl-runlog", open: run.errors.length > 0 },
    h("summary", {}, `Node logs and errors (${lines.length}${lines.length > shown.length ? `, first ${shown.length} shown` : ""})`),
    h("pre", {}, ...shown.map((l) => h("span", { class: l.error ? "cl-runlog__error" : undefined }, `${ms(l.timeMs).padStart(10)}  ${l.node}  ${l.text}\n`))),
  );
}
