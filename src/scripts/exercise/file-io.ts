// Download the solution as a .ts file (the name the replay command uses) and read one back in, refusing
// what cannot be a solution: a binary file (a PNG would replace the code with bytes) or one too large.

export const solutionFileName = (slug: string) => `${slug}.ts`;

/** The largest file Upload takes: the biggest reference solution is about 12 KB. */
export const MAX_UPLOAD_BYTES = 200 * 1024;

export function downloadSolution(slug: string, code: string): void {
  const url = URL.createObjectURL(new Blob([code], { type: "text/typescript" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = solutionFileName(slug);
  link.click();
  // The click starts the download synchronously; the URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export type UploadCheck = { ok: true; text: string } | { ok: false; reason: string };

const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/** Pure: the text of an uploaded file, or why it is refused. Text means UTF-8 without NUL bytes. */
export function checkUpload(name: string, bytes: Uint8Array): UploadCheck {
  if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, reason: `${name} is ${kb(bytes.length)}: a solution file can be at most ${kb(MAX_UPLOAD_BYTES)}.` };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = "\0";
  }
  // Images, archives and compiled files contain NUL bytes or byte sequences that are not UTF-8.
  if (text.includes("\0")) return { ok: false, reason: `${name} is not a text file: upload your solution's .ts (or .js) source.` };
  return { ok: true, text: text.replace(/^\uFEFF/, "") };
}

/** The first chosen file, checked; undefined when the picker was cancelled. */
export async function readChosenFile(input: HTMLInputElement): Promise<UploadCheck | undefined> {
  const file = input.files?.[0];
  input.value = ""; // choosing the same file again must fire `change` again
  if (!file) return undefined;
  // Refuse by size before reading a large file into memory.
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, reason: `${file.name} is ${kb(file.size)}: a solution file can be at most ${kb(MAX_UPLOAD_BYTES)}.` };
  return checkUpload(file.name, new Uint8Array(await file.arrayBuffer()));
}
