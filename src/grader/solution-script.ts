/**
 * The emitted CommonJS as the script the sandboxes expect (it sets `__clusterlab_solution` to the module's
 * exports). TypeScript marks every module "use strict"; esbuild's output for the CLI is not, so the mark
 * is dropped to keep the same semantics in both places.
 */
export function wrapEmittedSolution(emittedJs: string): string {
  const body = emittedJs.replace(/^\s*"use strict";\s*\n/, "");
  return `var __clusterlab_solution = (function () {\nvar exports = {}; var module = { exports: exports };\n${body}\n;return module.exports;\n})();`;
}
