// Wide tables and diagrams scroll sideways inside their box (custom.css) rather than shrink their text.
// A box that scrolls must be reachable from the keyboard, or its hidden part is out of reach: each one
// that overflows takes a Tab stop (tabindex 0, so arrow keys scroll it) and gives it back once it fits,
// as the column's width changes. A few hundred bytes, no dependency.
// An exercise's starter code, shown until the editor replaces it, scrolls too when its lines are long.
const SCROLL_BOX_SELECTOR = ".sl-markdown-content figure.diagram, .sl-markdown-content table:not(:where(.not-content *)), .cl-exercise__starter";

function update(box: HTMLElement): void {
  const scrolls = box.scrollWidth > box.clientWidth + 1;
  if (scrolls && !box.hasAttribute("tabindex")) {
    box.tabIndex = 0;
    box.dataset.scrollBox = "";
  } else if (!scrolls && box.dataset.scrollBox !== undefined) {
    box.removeAttribute("tabindex");
    delete box.dataset.scrollBox;
  }
}

const boxes = Array.from(document.querySelectorAll<HTMLElement>(SCROLL_BOX_SELECTOR));
if (boxes.length > 0) {
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) update(entry.target as HTMLElement);
  });
  for (const box of boxes) observer.observe(box);
}
