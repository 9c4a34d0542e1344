/**
 * The sandboxed iframe that owns the grading Worker. `sandbox="allow-scripts"` without `allow-same-origin`
 * gives it an opaque origin: no cookies, no storage, nothing of the site's. Its Content-Security-Policy
 * (inherited by a Worker made from a blob) allows no network at all, so learner code cannot fetch or
 * import anything. It only relays messages between the page and the Worker.
 */
const relay = `
let worker;
addEventListener("message", (event) => {
  if (event.source !== parent) return;
  const data = event.data;
  if (data && data.type === "boot") {
    worker = new Worker(URL.createObjectURL(new Blob([data.source], { type: "text/javascript" })));
    worker.onmessage = (e) => parent.postMessage(e.data, "*");
    worker.onerror = (e) => {
      e.preventDefault();
      parent.postMessage({ type: "worker-error", message: String(e.message || "the grading worker failed") }, "*");
    };
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
