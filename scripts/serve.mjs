// A tiny static file server for the built site (dist/), used by `npm start` and by the e2e tests.
// Node built-ins only, no network beyond the loopback interface.
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";

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

/** Text formats worth compressing (the editor's JavaScript is 11.7 MB as it is, 2.7 MB gzipped). */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt", ".xml", ".webmanifest"]);

const ENCODERS = {
  // Quality 5, not brotli's default 11: about as small as gzip -9 plus a bit, and fast enough to
  // compress Monaco's 6.9 MB TypeScript worker on the first request in well under a second.
  br: (buffer) => promisify(brotliCompress)(buffer, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: buffer.length } }),
  gzip: (buffer) => promisify(gzip)(buffer, { level: 6 }),
};

/** The encoding to send for an Accept-Encoding header: brotli, then gzip, else none. */
export function chooseEncoding(acceptEncoding = "") {
  const offered = new Map(
    acceptEncoding.split(",").map((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return [name, q === undefined ? 1 : Number(q)];
    }),
  );
  return ["br", "gzip"].find((name) => (offered.get(name) ?? 0) > 0);
}

/**
 * Compressed bodies, made once per file and encoding and kept while the file is unchanged (the same
 * size and modification time): a rebuild of dist/ under a running server is picked up.
 */
function createCompressedCache() {
  const cache = new Map();
  return async function compressed(path, info, encoding) {
    const key = `${encoding}:${path}`;
    const hit = cache.get(key);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.body;
    const body = ENCODERS[encoding](await readFile(path));
    cache.set(key, { mtimeMs: info.mtimeMs, size: info.size, body });
    body.catch(() => cache.delete(key));
    return body;
  };
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
  const compressed = createCompressedCache();

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
      const headers = { "content-type": contentTypeFor(body), "cache-control": "no-cache" };
      const encoding = COMPRESSIBLE.has(extname(body).toLowerCase()) ? chooseEncoding(request.headers["accept-encoding"]) : undefined;
      if (COMPRESSIBLE.has(extname(body).toLowerCase())) headers.vary = "accept-encoding";
      if (encoding) {
        const bytes = await compressed(body, await stat(body), encoding);
        response.writeHead(status, { ...headers, "content-encoding": encoding, "content-length": bytes.length });
        response.end(request.method === "HEAD" ? undefined : bytes);
        return;
      }
      response.writeHead(status, { ...headers, "content-length": (await stat(body)).size });
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
