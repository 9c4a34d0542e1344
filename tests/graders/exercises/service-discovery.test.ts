import { goldenTestsOf } from "../../support/golden.ts";
await goldenTestsOf("service-discovery");
