/**
 * V8's code cache for the sandbox bundles, kept in this process and on disk: an isolate compiles a bundle
 * from it instead of parsing it again (the engine's bundle is ~0.8 MB: 15-30 ms to compile, 1-4 ms from its
 * cache), and so does a new sandbox process's first run. Learner code is not cached (it changes between
 * runs). A file is named by the bundle's content hash (bundles.ts keeps it with the bundle) and V8's
 * version; V8 itself refuses data made by another version or with other flags, and then it is made anew.
 * The data is compiled code, trusted as the bundles beside it are (the same folder of this package's
 * node_modules). A read-only install keeps it in memory only.
 */
import { readFileSync } from "node:fs";
import { writeAside } from "./write-aside.ts";
import { join } from "node:path";
import type ivm from "isolated-vm";
import { bundleHashOf, codeCacheDir } from "./bundles.ts";

const inMemory = new Map<string, ivm.ExternalCopy<ArrayBuffer>>();

export function compileCached(ivmModule: typeof ivm, isolate: ivm.Isolate, code: string, filename: string): ivm.Script {
  const hash = bundleHashOf(code);
  const file = hash === undefined ? undefined : join(codeCacheDir, `${hash}-v8-${process.versions.v8}.bin`);
  let cachedData = inMemory.get(code);
  if (!cachedData && file) {
    try {
      const bytes = readFileSync(file);
      cachedData = new ivmModule.ExternalCopy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    } catch {
      // not made yet
    }
  }
  // With both options V8 makes new data only when it refuses the data given (another version, other flags).
  const script: ivm.Script & ivm.CachedDataResult = isolate.compileScriptSync(code, { ...(cachedData ? { cachedData } : {}), produceCachedData: true, filename });
  if (script.cachedData) {
    inMemory.set(code, script.cachedData);
    if (file) keep(file, script.cachedData.copy());
  } else if (cachedData) inMemory.set(code, cachedData);
  return script;
}

function keep(file: string, data: ArrayBuffer): void {
  try {
    writeAside(file, new Uint8Array(data));
  } catch {
    // a read-only install: this process keeps it in memory
  }
}
