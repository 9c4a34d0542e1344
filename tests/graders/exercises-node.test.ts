// Golden tests of the node exercises other than the replicated stores (see tests/support/golden.ts).
import { goldenTests } from "../support/golden.ts";

const stores = new Set(["replicated-kv", "quorum-kv", "session-guarantees"]);
await goldenTests((e) => e.harness === "node" && !stores.has(e.slug));
