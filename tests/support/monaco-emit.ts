/**
 * Emits a solution exactly as the editor does: with the TypeScript that Monaco ships and runs in its
 * worker, and the grader's compiler options. (TypeScript 7, the project's compiler, has no JavaScript API.)
 */
// @ts-expect-error Monaco ships this file without type declarations; its shape is declared below.
import { typescript } from "../../node_modules/monaco-editor/esm/vs/languages/features/typescript/lib/typescriptServices.js";
import { solutionCompilerOptions } from "../../src/grader/compile.ts";

interface TranspileApi {
  transpileModule(source: string, options: { compilerOptions: object; fileName: string }): { outputText: string };
}

export function emitLikeMonaco(source: string): string {
  return (typescript as TranspileApi).transpileModule(source, { compilerOptions: solutionCompilerOptions, fileName: "solution.ts" }).outputText;
}
