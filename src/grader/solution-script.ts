/**
 * The emitted CommonJS as the script the sandboxes expect (it sets `__clusterlab_solution` to the module's
 * exports). TypeScript marks every module "use strict"; esbuild's output for the CLI is not, so the mark
 * is dropped to keep the same semantics in both places. Every line of the emit keeps its number, shifted
 * by the wrapper's first lines, so the emit's source map still applies (see SOLUTION_SCRIPT_LINE_OFFSET).
 */
export function wrapEmittedSolution(emittedJs: string): string {
  // The mark goes, its line stays; the map's own URL comment is of no use inside a sandbox.
  const body = emittedJs.replace(/^(\s*)"use strict";/, "$1").replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n");
  return `var __clusterlab_solution = (function () {\nvar exports = {}; var module = { exports: exports };\n${body}\n;return module.exports;\n})();`;
}

/** Lines the wrapper puts before the emitted body: line L of the emit is line L + this of the script. */
export const SOLUTION_SCRIPT_LINE_OFFSET = 2;
