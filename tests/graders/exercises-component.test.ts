// Golden tests of the component exercises (see tests/support/golden.ts).
import { goldenTests } from "../support/golden.ts";

await goldenTests((e) => e.harness === "component");
