import { goldenTestsOf } from "../../support/golden.ts";

await goldenTestsOf("failure-detector");
