// A tiny static file server for the built site (dist/), used by `npm start` and by the e2e tests.
// Node built-ins only, no network beyond the loopback interface.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  // Pagefind's index files.
  ".pf_meta": "application/octet-stream",
  ".pf_index": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
  ".pagefind": "application/octet-stream",
};

/** Content type for a file name; unknown extensions are served as bytes. */
export function contentTypeFor(filePath) {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? "application/octet-stream";
}

async function fileAt(path) {
  try {
    const info = await stat(path);
    return info.isFile() ? path : info.isDirectory() ? fileAt(join(path, "index.html")) : null;
  } catch {
    return null;
  }
}

/**
 * Serves `root` on 127.0.0.1. Tries `port`, then the next ports up to `port + attempts - 1` when one
 * is busy; port 0 lets the OS pick. Resolves to { url, port, server, close() }.
 */
export async function serveStatic({ root, port = 4321, host = "127.0.0.1", attempts = 20 }) {
  const rootDir = resolve(root);
  const notFoundPage = join(rootDir, "404.html");

  const server = createServer(async (request, response) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
      const candidate = normalize(join(rootDir, pathname));
      if (candidate !== rootDir && !candidate.startsWith(rootDir + sep)) {
        response.writeHead(403).end("Forbidden");
        return;
      }
      // /foo → /foo/ so that relative links inside a directory's index.html resolve correctly.
      const info = await stat(candidate).catch(() => null);
      if (info?.isDirectory() && !pathname.endsWith("/")) {
        response.writeHead(301, { location: `${pathname}/` }).end();
        return;
      }
      const file = await fileAt(candidate);
      const status = file ? 200 : 404;
      const body = file ?? (await fileAt(notFoundPage));
      if (!body) {
        response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
        return;
      }
      response.writeHead(status, {
        "content-type": contentTypeFor(body),
        "cache-control": "no-cache",
      });
      if (request.method === "HEAD") {
        response.end();
        return;
      }
      createReadStream(body).pipe(response);
    } catch (error) {
      response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  const lastPort = port === 0 ? 0 : port + attempts - 1;
  for (let candidatePort = port; ; candidatePort++) {
    try {
      await new Promise((resolveListen, rejectListen) => {
        server.once("error", rejectListen);
        server.listen(candidatePort, host, () => {
          server.off("error", rejectListen);
          resolveListen();
        });
      });
      break;
    } catch (error) {
      if (error?.code !== "EADDRINUSE" || candidatePort >= lastPort) throw error;
    }
  }
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    server,
    port: actualPort,
    url: `http://localhost:${actualPort}/`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
