/**
 * The sandboxed iframe that owns the grading Worker. `sandbox="allow-scripts"` without `allow-same-origin`
 * gives it an opaque origin: no cookies, no storage, nothing of the site's. Its Content-Security-Policy
 * (inherited by a Worker made from a blob) allows no network at all, so learner code cannot fetch or
 * import anything. It only relays messages between the page and the Worker.
 *
 * When the page asks, it also starts runners: more Workers from the same script (a number, or one per further
 * core; at most three), each connected to the grading Worker by a port of its own (run-pool.ts). Their
 * messages go nowhere, their errors are the grader's. The page hears "ready" once the grading Worker is ready
 * (a grade can start: runs it hands a runner still booting wait in that runner's port) and "all-ready" once
 * every Worker is.
 */
const relay = `
let worker;
addEventListener("message", (event) => {
  if (event.source !== parent) return;
  const data = event.data;
  if (data && data.type === "boot") {
    const url = URL.createObjectURL(new Blob([data.source], { type: "text/javascript" }));
    const failed = (e) => {
      e.preventDefault();
      parent.postMessage({ type: "worker-error", message: String(e.message || "the grading worker failed") }, "*");
    };
    const wanted = data.runners === "per-core" ? (navigator.hardwareConcurrency || 1) - 1 : Number(data.runners) || 0;
    const count = Math.max(0, Math.min(3, wanted));
    let waiting = count + 1;
    const ready = () => {
      if (--waiting === 0) parent.postMessage({ type: "all-ready" }, "*");
    };
    worker = new Worker(url);
    worker.onmessage = (e) => {
      if (!e.data || e.data.type !== "ready") return parent.postMessage(e.data, "*");
      parent.postMessage({ type: "ready" }, "*");
      ready();
    };
    worker.onerror = failed;
    const ports = [];
    for (let i = 0; i < count; i++) {
      const runner = new Worker(url);
      runner.onmessage = (e) => e.data && e.data.type === "ready" && ready();
      runner.onerror = failed;
      const channel = new MessageChannel();
      runner.postMessage({ type: "serve" }, [channel.port2]);
      ports.push(channel.port1);
    }
    if (count > 0) worker.postMessage({ type: "runners", spillAfterMs: data.spillAfterMs }, ports);
  } else if (worker) {
    worker.postMessage(data);
  }
});
parent.postMessage({ type: "frame-ready" }, "*");
`;

// 'unsafe-eval': the sandbox evaluates the solution with `new Function`; nothing may be fetched.
export const frameCsp = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:";

export function createGraderFrame(): HTMLIFrameElement {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.setAttribute("aria-hidden", "true");
  frame.title = "clusterlab grader";
  frame.style.display = "none";
  frame.srcdoc = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${frameCsp}"><script>${relay}</script>`;
  return frame;
}
