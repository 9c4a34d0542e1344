import { HistoryParseError } from "./types.ts";

/**
 * Decodes a history file's bytes as UTF-8, strictly: a lenient decoder replaces invalid bytes with U+FFFD,
 * and two different invalid values would then read as the same string. The error names the line and the
 * byte column of the first invalid sequence. A leading byte order mark is dropped.
 */
export function decodeHistoryBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    // `at` is the length only if the two disagree, which they should not: then the message says so.
    const found = at < bytes.length ? `an invalid sequence starting with byte 0x${bytes[at]!.toString(16).padStart(2, "0")}` : "invalid UTF-8";
    throw new HistoryParseError(line, `UTF-8 text (byte ${at - lineStart + 1} of the line)`, found);
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or the length. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0; // overlong
      if (b === 0xed) high = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90; // overlong
      if (b === 0xf4) high = 0x8f; // beyond U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}
