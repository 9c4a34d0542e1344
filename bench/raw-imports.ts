// What Vite gives the editor's modules, for benches that load them in plain Node: `import text from
// "./file?raw"` (the file's text as the default export), and an eager raw glob
// `import.meta.glob<string>("./dir/*/file.ts", { eager: true, query: "?raw", import: "default" })` (each
// matching file's text by its path, as src/grader/compile.ts gathers the learner API). Register before
// importing them (a dynamic import after this).
import { globSync, readFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** An eager raw glob call, whatever its type argument: the pattern is group 1. */
const rawGlob = /import\.meta\.glob(?:<[^>]*>)?\(\s*"([^"]+)"\s*,\s*\{\s*eager:\s*true,\s*query:\s*"\?raw",\s*import:\s*"default"\s*\}\s*\)/g;

registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith("file:") && url.endsWith("?raw")) {
      const text = readFileSync(fileURLToPath(url.slice(0, -"?raw".length)), "utf8");
      return { format: "module", source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
    }
    const loaded = nextLoad(url, context);
    if (!url.startsWith("file:") || url.includes("/node_modules/") || loaded.source === undefined) return loaded;
    const source = String(loaded.source);
    if (!source.includes("import.meta.glob")) return loaded;
    const dir = dirname(fileURLToPath(url));
    const replaced = source.replace(rawGlob, (_, pattern: string) => {
      const files = globSync(pattern, { cwd: dir }).sort();
      // Keyed as Vite keys them: the path as the pattern spells it, relative to the importing file.
      const key = (file: string) => (file.startsWith(".") ? file : `./${file}`);
      const entries = files.map((file) => `${JSON.stringify(key(file))}: ${JSON.stringify(readFileSync(join(dir, file), "utf8"))}`);
      return `({ ${entries.join(", ")} })`;
    });
    return { ...loaded, source: replaced };
  },
});
