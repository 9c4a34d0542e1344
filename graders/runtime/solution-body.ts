/**
 * The learner's transpiled solution (a script that assigns `var __clusterlab_solution`) as the body of a
 * function that returns the module's exports. Made into a function with the Function constructor, never
 * by pasting the text into a wrapper: a body is parsed on its own, so no text can close the wrapper early
 * and run before the realm is locked down.
 */
export function solutionBody(solutionJs: string): string {
  return `${solutionJs}\n;return typeof __clusterlab_solution === "undefined" ? undefined : __clusterlab_solution;`;
}
