// On wide screens the workbench puts the editor (at least 90 columns) beside the results. Starlight's
// content column is about 590 px wide at 1280 px, so the workbench leaves it and spans the viewport,
// drawn over the sidebars while it is on screen. CSS cannot know how far the column sits from the
// viewport's edge (it depends on the sidebars and the table of contents), so this measures it and
// hands the figures to the stylesheet as custom properties.

/** Where the side-by-side layout starts; the stylesheet uses the same width. */
export const WIDE_SCREEN = "(min-width: 75rem)";

export function isWide(): boolean {
  return matchMedia(WIDE_SCREEN).matches;
}

export function bleedToViewport(band: HTMLElement): void {
  const column = band.parentElement!;
  const update = () => {
    const box = column.getBoundingClientRect();
    const style = getComputedStyle(column);
    const left = box.left + parseFloat(style.borderInlineStartWidth) + parseFloat(style.paddingInlineStart);
    band.style.setProperty("--cl-column-left", `${left}px`);
    // clientWidth leaves the vertical scrollbar out, unlike 100vw.
    band.style.setProperty("--cl-viewport-width", `${document.documentElement.clientWidth}px`);
  };
  update();
  band.dataset.bleed = "";
  new ResizeObserver(update).observe(column);
  addEventListener("resize", update);
}
