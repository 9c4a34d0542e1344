// The learner's code for one exercise, kept in localStorage: saved shortly after each edit and when the
// page is hidden, restored on the next visit.
import { readJson, writeJson } from "./storage.ts";

const DELAY_MS = 400;

interface Saved {
  code: string;
  savedAt: string;
}

export const codeKey = (slug: string) => `clusterlab:code:${slug}`;

export function loadCode(slug: string): string | undefined {
  return readJson<Saved>(codeKey(slug))?.code;
}

/** Debounced saver: `schedule()` after every edit; `flush()` writes now (also runs on pagehide). */
export function createAutosave(slug: string, read: () => string, onSaved?: (ok: boolean) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    timer = undefined;
    onSaved?.(writeJson(codeKey(slug), { code: read(), savedAt: new Date().toISOString() } satisfies Saved));
  };
  const flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    save();
  };
  // A reload or tab close within the debounce window must not lose the last keystrokes.
  addEventListener("pagehide", flush);
  return {
    schedule() {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    },
    flush,
  };
}
