/**
 * isolated-vm's addon, loaded when a sandbox first needs it rather than when its module is imported: a
 * grading process imports this folder's public surface (index.ts) yet only its sandbox process makes
 * isolates, and it forks that process first, before it loads anything it can do without.
 */
import type ivm from "isolated-vm";

let loaded: Promise<typeof ivm> | undefined;

export function loadIvm(): Promise<typeof ivm> {
  return (loaded ??= import("isolated-vm").then((module) => module.default));
}
