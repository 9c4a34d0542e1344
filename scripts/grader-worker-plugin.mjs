// @ts-check
/**
 * A Vite plugin that bundles the grading Worker (src/grader/worker.ts) into one self-contained script and
 * hands it to the page as a string: `import workerSource from "virtual:clusterlab/grader-worker"`. The
 * page starts it from a blob inside a sandboxed iframe, whose opaque origin could not load a URL of ours.
 * The Worker carries every exercise definition (exercises/<slug>/exercise.ts), so the page sends a slug.
 */
import { build } from "esbuild";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exercisesDir, listExerciseSlugs } from "../src/cli/exercises.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const virtualId = "virtual:clusterlab/grader-worker";
const exercisesModule = "clusterlab:exercises";

/** `export default { slug: definition, … }` over every exercise the CLI knows. */
function exercisesSource() {
  const slugs = listExerciseSlugs();
  const imports = slugs.map((slug, i) => `import e${i} from ${JSON.stringify(join(exercisesDir, slug, "exercise.ts"))};`);
  return `${imports.join("\n")}\nexport default { ${slugs.map((slug, i) => `${JSON.stringify(slug)}: e${i}`).join(", ")} };\n`;
}

/** @returns {Promise<{ code: string; inputs: string[] }>} */
export async function bundleGraderWorker({ minify = true } = {}) {
  const result = await build({
    entryPoints: [join(root, "src", "grader", "worker.ts")],
    bundle: true,
    format: "iife",
    target: "es2022",
    minify,
    write: false,
    metafile: true,
    legalComments: "none",
    // As the sandbox bundles: strict engine code has no `caller` for learner code to walk.
    banner: { js: '"use strict";' },
    logLevel: "silent",
    plugins: [
      {
        name: "clusterlab-exercises",
        setup(b) {
          b.onResolve({ filter: /^clusterlab:exercises$/ }, () => ({ path: exercisesModule, namespace: "clusterlab" }));
          b.onLoad({ filter: /.*/, namespace: "clusterlab" }, () => ({ contents: exercisesSource(), loader: "ts", resolveDir: root }));
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("clusterlab:")).map((p) => join(root, p));
  return { code: result.outputFiles[0].text, inputs };
}

/** @returns {import("vite").Plugin} */
export default function graderWorker() {
  return {
    name: "clusterlab-grader-worker",
    resolveId(id) {
      return id === virtualId ? `\0${virtualId}` : undefined;
    },
    async load(id) {
      if (id !== `\0${virtualId}`) return undefined;
      const { code, inputs } = await bundleGraderWorker();
      for (const input of inputs) this.addWatchFile(input);
      return `export default ${JSON.stringify(code)};`;
    },
  };
}
