import { goldenTestsOf } from "../../support/golden.ts";
await goldenTestsOf("notification-design");
