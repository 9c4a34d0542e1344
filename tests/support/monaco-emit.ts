/**
 * Emits a solution exactly as the editor does: with the TypeScript that Monaco ships and runs in its
 * worker, and the grader's compiler options. (TypeScript 7, the project's compiler, has no JavaScript API.)
 */
// @ts-expect-error Monaco ships this file without type declarations; its shape is declared below.
import { typescript } from "../../node_modules/monaco-editor/esm/vs/languages/features/typescript/lib/typescriptServices.js";
import { solutionCompilerOptions } from "../../src/grader/compile.ts";

interface TranspileApi {
  transpileModule(source: string, options: { compilerOptions: object; fileName: string }): { outputText: string; sourceMapText?: string };
}

/** The emitted JavaScript and its source map (the editor's worker writes both: `sourceMap: true`). */
export function emitWithMapLikeMonaco(source: string, fileName = "solution.ts"): { js: string; map: string } {
  const out = (typescript as TranspileApi).transpileModule(source, { compilerOptions: solutionCompilerOptions, fileName });
  if (out.sourceMapText === undefined) throw new Error("Monaco's TypeScript wrote no source map: is sourceMap set in solutionCompilerOptions?");
  return { js: out.outputText, map: out.sourceMapText };
}

export function emitLikeMonaco(source: string): string {
  return emitWithMapLikeMonaco(source).js;
}
