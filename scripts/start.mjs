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
console.log(`\nclusterlab is running at ${site.url}\n(press Ctrl+C to stop)`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    void site.close().then(() => process.exit(0));
  });
}
