// One Monaco editor holding a learner's solution: create it, read and replace its text (undoably), and
// ask Monaco's TypeScript worker for the solution's errors and its emitted JavaScript.
import { setupMonaco } from "./monaco-setup.ts";

export interface CompileError {
  line: number;
  column: number;
  text: string;
}

/** `map`: the emit's source map (version 3 JSON), when TypeScript wrote one. */
export type Compiled = { ok: true; js: string; map?: string } | { ok: false; errors: CompileError[] };

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
  /** How many columns of text fit beside the gutter, from Monaco's own layout. */
  columns(): number;
  /** Whether any line is wider than the editor (so the learner would scroll sideways). */
  scrollsSideways(): boolean;
  onLayout(listener: () => void): void;
}

const flatten = (text: string | { messageText: string; next?: unknown[] }): string =>
  typeof text === "string" ? text : text.messageText;

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The element Tab (or Shift+Tab) would reach from the editor, skipping Monaco's own inner controls. */
function neighbourOf(editorRoot: HTMLElement, backwards: boolean): HTMLElement | undefined {
  const all = Array.from(document.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (el) => (!el.closest(".monaco-editor") || editorRoot.contains(el)) && el.checkVisibility() && el.tabIndex >= 0,
  );
  const inside = all.filter((el) => editorRoot.contains(el));
  if (inside.length === 0) return undefined;
  const at = all.indexOf(backwards ? inside[0]! : inside.at(-1)!);
  return all[at + (backwards ? -1 : 1)];
}

/**
 * Tab indents in a code editor, which traps keyboard users. Monaco's answer is its tab-focus mode
 * (Ctrl+M). Escape then Tab is the other common one (CodeMirror, GitHub): Escape arms it, and the
 * next key, if it is Tab, moves focus out instead of indenting. Escape keeps its own jobs (closing a
 * suggestion list) since the key is only watched, not taken.
 */
function leaveWithEscapeThenTab(editor: import("monaco-editor").editor.IStandaloneCodeEditor, monaco: ReturnType<typeof setupMonaco>): void {
  let armed = false;
  editor.onKeyDown((e) => {
    if (e.keyCode === monaco.KeyCode.Escape) {
      armed = true;
      return;
    }
    // Shift on its way to Shift+Tab must not disarm it.
    if ([monaco.KeyCode.Shift, monaco.KeyCode.Ctrl, monaco.KeyCode.Alt, monaco.KeyCode.Meta].includes(e.keyCode)) return;
    if (armed && e.keyCode === monaco.KeyCode.Tab) {
      const target = neighbourOf(editor.getContainerDomNode(), e.shiftKey);
      if (target) {
        e.preventDefault();
        e.stopPropagation();
        target.focus();
      }
    }
    armed = false;
  });
  editor.onDidBlurEditorText(() => (armed = false));
}

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
    // No breakpoints here: the glyph margin and wide line numbers would cost six columns of code.
    glyphMargin: false,
    lineNumbersMinChars: 3,
    // The number of the empty line after a final newline is drawn dimmed, at 1.8:1 contrast.
    renderFinalNewline: "on",
    tabSize: 2,
    fixedOverflowWidgets: true,
    // A line longer than the editor (mostly a comment) wraps under itself instead of scrolling sideways.
    wordWrap: "on",
    wrappingIndent: "indent",
    ariaLabel: `Solution for ${slug}. Tab indents; press Escape then Tab, or Ctrl+M, to move focus out of the editor.`,
  });
  leaveWithEscapeThenTab(editor, monaco);

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
      const js = output.outputFiles.find((f) => f.name.endsWith(".js") && !f.name.endsWith(".d.ts"))?.text;
      if (js === undefined) return { ok: false, errors: [{ line: 1, column: 1, text: "TypeScript emitted no JavaScript for this file." }] };
      const map = output.outputFiles.find((f) => f.name.endsWith(".js.map"))?.text;
      return map === undefined ? { ok: true, js } : { ok: true, js, map };
    },
    columns: () => editor.getLayoutInfo().viewportColumn,
    scrollsSideways: () => editor.getScrollWidth() > editor.getLayoutInfo().contentWidth + 1,
    onLayout(listener) {
      editor.onDidLayoutChange(listener);
      editor.onDidContentSizeChange(listener);
    },
    goTo(line, column) {
      editor.revealPositionInCenter({ lineNumber: line, column });
      editor.setPosition({ lineNumber: line, column });
      editor.focus();
    },
  };
}
