import { goldenTestsOf } from "../../support/golden.ts";
await goldenTestsOf("logical-clocks");
