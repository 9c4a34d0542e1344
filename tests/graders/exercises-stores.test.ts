// Golden tests of the replicated-store exercises, the slowest to grade (see tests/support/golden.ts).
import { goldenTests } from "../support/golden.ts";

const stores = new Set(["replicated-kv", "quorum-kv", "session-guarantees"]);
await goldenTests((e) => stores.has(e.slug));
