import { goldenTestsOf } from "../../support/golden.ts";
await goldenTestsOf("news-feed-design");
