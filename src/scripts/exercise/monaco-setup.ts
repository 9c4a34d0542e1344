// Monaco, configured once per page: its workers (bundled by Vite, served by this site), TypeScript with
// the learner-facing node API as the `clusterlab` module, and a theme that follows Starlight's.
import * as monaco from "monaco-editor";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import TsWorker from "monaco-editor/language/typescript/ts.worker?worker";
import { nodeApiDts, solutionCompilerOptions } from "../../grader/compile.ts";

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

let configured = false;

/**
 * Monaco's dark theme with comments readable: its #608b4e on #1e1e1e is 4.2:1, under the 4.5:1 small
 * text needs; VS Code's own later dark theme uses #6a9955 (5.0:1).
 */
const DARK_THEME = "clusterlab-dark";

function starlightTheme(): string {
  return document.documentElement.dataset.theme === "dark" ? DARK_THEME : "vs";
}

/** Returns the configured Monaco namespace; the first call sets up workers, types and theme. */
export function setupMonaco(): typeof monaco {
  if (configured) return monaco;
  configured = true;
  window.MonacoEnvironment = {
    getWorker: (_id, label) => (label === "typescript" || label === "javascript" ? new TsWorker() : new EditorWorker()),
  };
  const ts = monaco.typescript.typescriptDefaults;
  ts.setCompilerOptions(solutionCompilerOptions as monaco.typescript.CompilerOptions);
  ts.addExtraLib(nodeApiDts, "file:///node_modules/clusterlab/index.d.ts");
  // Diagnostics and emit must see the model as soon as it exists, not after the first edit.
  ts.setEagerModelSync(true);

  monaco.editor.defineTheme(DARK_THEME, { base: "vs-dark", inherit: true, rules: [{ token: "comment", foreground: "6a9955" }], colors: {} });
  monaco.editor.setTheme(starlightTheme());
  new MutationObserver(() => monaco.editor.setTheme(starlightTheme())).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });
  return monaco;
}
