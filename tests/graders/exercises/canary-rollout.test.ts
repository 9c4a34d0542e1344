import { goldenTestsOf } from "../../support/golden.ts";

await goldenTestsOf("canary-rollout");
