// The only exercise code a lesson page loads up front: progressive hints, and an observer that fetches
// the editor module once an exercise comes near the viewport. Keep it tiny: everything heavy is behind
// the dynamic import, so Vite puts it in chunks this page never requests until then.

const ROOT = "[data-exercise]";

function wireHints(root: HTMLElement): void {
  const button = root.querySelector<HTMLButtonElement>("[data-reveal-hint]");
  const hints = Array.from(root.querySelectorAll<HTMLElement>("[data-hint]"));
  if (!button || hints.length === 0) return;
  button.addEventListener("click", () => {
    const next = hints.find((hint) => hint.hidden);
    if (next) next.hidden = false;
    const shown = hints.filter((hint) => !hint.hidden).length;
    if (shown === hints.length) button.hidden = true;
    else button.textContent = `Show another hint (${shown + 1} of ${hints.length})`;
  });
}

export function bootExercises(): void {
  const roots = Array.from(document.querySelectorAll<HTMLElement>(ROOT));
  for (const root of roots) wireHints(root);
  if (roots.length === 0) return;

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const root = entry.target as HTMLElement;
        observer.unobserve(root);
        // When the reader reached it: the e2e test measures time-to-editable from this mark.
        root.dataset.visibleAt = String(performance.now());
        import("./mount.ts")
          .then(({ mountExercise }) => mountExercise(root))
          .catch((error: unknown) => {
            const loading = root.querySelector<HTMLElement>("[data-loading]");
            if (loading) loading.textContent = `The editor could not load: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`;
            console.error("clusterlab: exercise editor failed to load", error);
          });
      }
    },
    // Start loading a little before it is on screen, so it is ready when the reader arrives.
    { rootMargin: "200px 0px" },
  );
  for (const root of roots) observer.observe(root);
}
