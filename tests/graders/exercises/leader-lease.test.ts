import { goldenTestsOf } from "../../support/golden.ts";

await goldenTestsOf("leader-lease");
