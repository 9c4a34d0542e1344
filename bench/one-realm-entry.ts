// Bundled into a fresh isolate by bench/engine.ts: the browser's one-realm sandbox, so that the bench can
// price what giving every node its own realm costs inside isolated-vm. Not used for grading.
import { createScopeSandbox } from "../graders/sandbox/scope/index.ts";
import type { RunRequest } from "../graders/sandbox/types.ts";

(globalThis as Record<string, unknown>).__runOneRealm = async (requestJson: string): Promise<string> => {
  const out = await createScopeSandbox().run(JSON.parse(requestJson) as RunRequest);
  return JSON.stringify(out.kind === "data" ? { delivered: out.data.stats.messagesDelivered } : { error: out.message });
};
