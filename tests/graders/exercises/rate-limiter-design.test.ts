import { goldenTestsOf } from "../../support/golden.ts";
await goldenTestsOf("rate-limiter-design");
