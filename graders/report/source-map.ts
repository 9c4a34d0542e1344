/**
 * Maps a place in the transpiled solution ("solution.js:LINE:COL", as the runtime writes it) back to the
 * learner's TypeScript file, with the source map the transpiler made (version 3, base64 VLQ mappings).
 * The CLI's esbuild and the editor's TypeScript both produce one; a text without a map stays as it is.
 */
import { solutionScriptName } from "../runtime/describe.ts";

/** One mapped stretch of a generated line: from this column on, it came from (line, column) of the source. */
interface Segment {
  column: number;
  sourceLine: number;
  sourceColumn: number;
}

const base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const digit = new Map([...base64].map((ch, i) => [ch, i]));

/** Decodes the "mappings" field into segments per generated line (0-based lines and columns). */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const text of mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const group of text.split(",")) {
      if (group === "") continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of group) {
        const d = digit.get(ch);
        if (d === undefined) throw new Error(`source map: "${ch}" is not base64`);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceLine += fields[2]!;
        sourceColumn += fields[3]!;
        segments.push({ column, sourceLine, sourceColumn });
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** A function that rewrites every "solution.js:L:C" in a text to "<file>:l:c" of the source (1-based, as editors count). */
export function sourceLocator(sourceMapJson: string | undefined, file: string, lineOffset = 0): (text: string) => string {
  if (!sourceMapJson) return (text) => text;
  let lines: Segment[][];
  try {
    lines = decodeMappings(String((JSON.parse(sourceMapJson) as { mappings?: unknown }).mappings ?? ""));
  } catch {
    return (text) => text;
  }
  const pattern = new RegExp(`${solutionScriptName.replace(".", "\\.")}:(\\d+):(\\d+)`, "g");
  return (text) =>
    text.replace(pattern, (whole, lineText: string, columnText: string) => {
      const segments = lines[Number(lineText) - 1 - lineOffset];
      const column = Number(columnText) - 1;
      if (!segments?.length) return whole;
      // The last segment that starts at or before the column: that stretch of code came from its source place.
      let found = segments[0]!;
      for (const segment of segments) {
        if (segment.column > column) break;
        found = segment;
      }
      return `${file}:${found.sourceLine + 1}:${found.sourceColumn + 1}`;
    });
}
