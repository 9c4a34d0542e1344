// A process's modules as one kept bundle (graders/sandbox/node/kept-module.ts: the CLI's grade path, the
// sandbox process): each module keeps its own import.meta.url, the bundle stands while its inputs are as
// they were, and one edited input makes it stale until it is built again.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { currentModuleBundle, keptModuleBundle } from "../../graders/sandbox/node/index.ts";

const dir = mkdtempSync(join(tmpdir(), "clusterlab-kept-module-"));
/** Written a minute ago: a file saved while (or just before) a build read it is not kept with it. */
const writeOld = (file: string, text: string) => {
  writeFileSync(file, text);
  const then = new Date(Date.now() - 60_000);
  utimesSync(file, then, then);
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a kept module bundle", () => {
  it("keeps each module's import.meta.url, stands until an input changes, and is built again then", async () => {
    const file = join(dir, "where.ts");
    writeOld(file, "export const where: string = import.meta.url;\nexport const n = 1;\n");
    const bundle = { entry: `export { where, n } from ${JSON.stringify(file)};\n` };
    const built = await keptModuleBundle(bundle);
    const first = (await import(`${pathToFileURL(built).href}?1`)) as { where: string; n: number };
    expect(first.where).toBe(pathToFileURL(file).href);
    expect(currentModuleBundle(bundle)).toBe(built);
    writeOld(file, "export const where: string = import.meta.url;\nexport const n = 22;\n");
    expect(currentModuleBundle(bundle)).toBeUndefined();
    const again = await keptModuleBundle(bundle);
    expect(((await import(`${pathToFileURL(again).href}?2`)) as { n: number }).n).toBe(22);
  });

  it("refuses a module that reads import.meta otherwise (it would read the bundle's)", async () => {
    const file = join(dir, "main.ts");
    writeFileSync(file, "export const main = import.meta.main;\n");
    await expect(keptModuleBundle({ entry: `export { main } from ${JSON.stringify(file)};\n` })).rejects.toThrow(/import\.meta/);
  });
});
