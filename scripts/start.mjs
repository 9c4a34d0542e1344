// `npm start`: build the site, then serve dist/ on http://localhost:PORT/ (PORT from the environment,
// default 4321; the next free port if that one is busy). Works offline.
import { join } from "node:path";
import { buildSite, projectRoot } from "./build-site.mjs";
import { serveStatic } from "./serve.mjs";

const requestedPort = Number.parseInt(process.env.PORT ?? "", 10);
const port = Number.isInteger(requestedPort) && requestedPort >= 0 ? requestedPort : 4321;

try {
  await buildSite();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const site = await serveStatic({ root: join(projectRoot, "dist"), port });
// The address is the last thing printed, on a line of its own, after the build's hundreds of lines:
// it is what the learner needs, and what a terminal shows last stays on screen.
console.log(`\nPress Ctrl+C to stop the server.\n\n  clusterlab is running at ${site.url}\n`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    void site.close().then(() => process.exit(0));
  });
}
