// Download the solution as a .ts file (the name the replay command uses) and read one back in.

export const solutionFileName = (slug: string) => `${slug}.ts`;

export function downloadSolution(slug: string, code: string): void {
  const url = URL.createObjectURL(new Blob([code], { type: "text/typescript" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = solutionFileName(slug);
  link.click();
  // The click starts the download synchronously; the URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Text of the first chosen file, or undefined when the picker was cancelled. */
export async function readChosenFile(input: HTMLInputElement): Promise<string | undefined> {
  const file = input.files?.[0];
  input.value = ""; // choosing the same file again must fire `change` again
  return file ? file.text() : undefined;
}
