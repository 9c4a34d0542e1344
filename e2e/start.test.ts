// End-to-end: `npm start` as a learner runs it on a clean checkout. The build prints no warning, the
// address is the last line printed, and the server sends JavaScript, CSS and HTML compressed (brotli
// or gzip, as the browser asks). No browser needed.
import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { root } from "./support/site.ts";

let child: ChildProcess | undefined;

/** Starts `node scripts/start.mjs` on a free port; resolves with everything it printed once it serves. */
function start(): Promise<{ output: string; url: string }> {
  return new Promise((resolve, reject) => {
    // The environment vitest leaks (NODE_ENV=test and friends) is dropped by build-site.mjs itself.
    child = spawn(process.execPath, ["scripts/start.mjs"], { cwd: root, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /clusterlab is running at (http:\/\/localhost:\d+\/)\n/.exec(output)?.[1];
      if (url) setTimeout(() => resolve({ output, url }), 300); // anything printed after the address would land now
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`npm start exited with ${code} before serving:\n${output.slice(-3000)}`)));
  });
}

afterAll(() => {
  child?.kill("SIGTERM");
});

describe("npm start", () => {
  let served: { output: string; url: string };

  test("builds without a single warning and prints the address last", async () => {
    served = await start();
    const lines = served.output.split("\n").map((line) => line.trim()).filter(Boolean);
    expect(lines.filter((line) => /\[WARN\]|warning/i.test(line))).toEqual([]);
    expect(lines.at(-1)).toBe(`clusterlab is running at ${served.url}`);
  }, 240_000);

  test("sends JavaScript, CSS and HTML compressed, brotli or gzip as asked", async () => {
    const assets = await readdir(join(root, "dist", "_astro"));
    const worker = assets.find((f) => /^ts\.worker.*\.js$/.test(f))!;
    const css = assets.find((f) => f.endsWith(".css"))!;
    const sizes: Record<string, number> = {};
    for (const [path, file] of [[`_astro/${worker}`, join("_astro", worker)], [`_astro/${css}`, join("_astro", css)], ["messaging/message-queues/", "messaging/message-queues/index.html"]] as const) {
      const raw = statSync(join(root, "dist", file)).size;
      for (const encoding of ["br", "gzip"] as const) {
        const response = await fetch(new URL(path, served.url), { headers: { "accept-encoding": encoding } });
        expect(response.headers.get("content-encoding"), `${path} ${encoding}`).toBe(encoding);
        expect(response.headers.get("vary")).toBe("accept-encoding");
        const sent = Number(response.headers.get("content-length"));
        expect(sent).toBeLessThan(raw / 2.5);
        await response.arrayBuffer(); // fetch decodes it: the body must still be readable
        sizes[`${path} ${encoding}`] = sent;
      }
      sizes[`${path} raw`] = raw;
    }
    // Without Accept-Encoding, the file as it is.
    const plain = await fetch(new URL("favicon.svg", served.url), { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    console.log("compressed sizes:", sizes);
  }, 60_000);
});
