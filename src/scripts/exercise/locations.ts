// Places in the learner's file inside a message ("broadcast.ts:12:7", as the grader writes a runtime
// error's place after mapping it through the emit's source map): split out so the panel can make each a
// button that moves the editor's cursor there, as type errors' places already are.

export type Piece = string | { line: number; column: number; text: string };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Pure: the text in pieces, every "<file>:L:C" of this file as a place. */
export function splitLocations(text: string, file: string): Piece[] {
  const pattern = new RegExp(`${escape(file)}:(\\d+):(\\d+)`, "g");
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) pieces.push(text.slice(last, match.index));
    pieces.push({ line: Number(match[1]), column: Number(match[2]), text: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

/** The text as nodes: each place a button (`data-goto="L:C"`) that calls `goTo`. */
export function linkLocations(text: string, file: string, goTo: (line: number, column: number) => void): Node[] {
  return splitLocations(text, file).map((piece) => {
    if (typeof piece === "string") return document.createTextNode(piece);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cl-linkish";
    button.dataset.goto = `${piece.line}:${piece.column}`;
    button.title = `Go to line ${piece.line}, column ${piece.column} in the editor`;
    button.textContent = piece.text;
    button.addEventListener("click", () => goTo(piece.line, piece.column));
    return button;
  });
}
