// The line under the editor that says how to leave it with the keyboard: inside a code editor Tab
// indents, so a keyboard user needs to be told the way out (see leaveWithEscapeThenTab in editor.ts and
// Monaco's own tab-focus mode).
import { h } from "./dom.ts";

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function keyboardHint(): HTMLElement {
  const kbd = (text: string) => h("kbd", {}, text);
  const mac = isMac();
  return h(
    "p",
    { class: "cl-keyhint", "data-keyboard-hint": true },
    "Keyboard: ",
    kbd("Tab"),
    " indents in the editor. To move focus out, press ",
    kbd("Esc"),
    " then ",
    kbd("Tab"),
    ", or ",
    ...(mac ? [kbd("Ctrl"), "+", kbd("Shift"), "+", kbd("M")] : [kbd("Ctrl"), "+", kbd("M")]),
    " to make Tab move focus (the same keys switch it back). ",
    ...(mac ? [kbd("Cmd")] : [kbd("Ctrl")]),
    "+",
    kbd("Enter"),
    " runs.",
  );
}
