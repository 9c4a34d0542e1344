// One Monaco editor holding a learner's solution: create it, read and replace its text (undoably), and
// ask Monaco's TypeScript worker for the solution's errors and its emitted JavaScript.
import { setupMonaco } from "./monaco-setup.ts";

export interface CompileError {
  line: number;
  column: number;
  text: string;
}

export type Compiled = { ok: true; js: string } | { ok: false; errors: CompileError[] };

export interface SolutionEditor {
  getValue(): string;
  /** Replaces the whole text as one undoable edit (Ctrl+Z brings the previous text back). */
  replaceAll(text: string): void;
  onChange(listener: () => void): void;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRunShortcut(listener: () => void): void;
  /** Type errors and syntax errors first; only an error-free solution is emitted. */
  compile(): Promise<Compiled>;
  goTo(line: number, column: number): void;
}

const flatten = (text: string | { messageText: string; next?: unknown[] }): string =>
  typeof text === "string" ? text : text.messageText;

export function createSolutionEditor(container: HTMLElement, slug: string, initial: string): SolutionEditor {
  const monaco = setupMonaco();
  // One model per exercise, named like the file the learner downloads, so messages read naturally.
  const uri = monaco.Uri.parse(`file:///exercises/${slug}/${slug}.ts`);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(initial, "typescript", uri);
  const editor = monaco.editor.create(container, {
    model,
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fontSize: 14,
    tabSize: 2,
    fixedOverflowWidgets: true,
    ariaLabel: `Solution for ${slug}`,
  });

  return {
    getValue: () => model.getValue(),
    replaceAll(text) {
      editor.pushUndoStop();
      editor.executeEdits("clusterlab", [{ range: model.getFullModelRange(), text }]);
      editor.pushUndoStop();
    },
    onChange: (listener) => void model.onDidChangeContent(listener),
    onRunShortcut: (listener) => editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, listener),
    async compile() {
      const getWorker = await monaco.typescript.getTypeScriptWorker();
      const worker = await getWorker(uri);
      const file = uri.toString();
      const [syntactic, semantic] = await Promise.all([worker.getSyntacticDiagnostics(file), worker.getSemanticDiagnostics(file)]);
      const errors = [...syntactic, ...semantic]
        .filter((d) => d.category === 1 /* Error */)
        .map((d) => {
          const at = model.getPositionAt(d.start ?? 0);
          return { line: at.lineNumber, column: at.column, text: flatten(d.messageText) };
        })
        .sort((a, b) => a.line - b.line || a.column - b.column);
      if (errors.length > 0) return { ok: false, errors };
      const output = await worker.getEmitOutput(file);
      const js = output.outputFiles.find((f) => f.name.endsWith(".js"))?.text;
      if (js === undefined) return { ok: false, errors: [{ line: 1, column: 1, text: "TypeScript emitted no JavaScript for this file." }] };
      return { ok: true, js };
    },
    goTo(line, column) {
      editor.revealPositionInCenter({ lineNumber: line, column });
      editor.setPosition({ lineNumber: line, column });
      editor.focus();
    },
  };
}
