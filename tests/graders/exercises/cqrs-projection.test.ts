import { goldenTestsOf } from "../../support/golden.ts";
await goldenTestsOf("cqrs-projection");
