// Golden tests of the design exercises and the estimation drills (see tests/support/golden.ts).
import { goldenTests } from "../support/golden.ts";

await goldenTests((e) => e.harness === "design" || e.harness === "estimate");
