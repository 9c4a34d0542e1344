import { goldenTestsOf } from "../../support/golden.ts";
await goldenTestsOf("chat-design");
