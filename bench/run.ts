// `npm run bench`: every benchmark, each with its baseline measured in the same process.
import { benchEngine } from "./engine.ts";
import { benchExplanations, benchLinearizability } from "./linearizability.ts";
import { benchTransactions } from "./transactions.ts";
import { benchComponents } from "./components.ts";
import { benchLockdown } from "./lockdown.ts";
import { benchProcessSandbox } from "./process-sandbox.ts";
import { benchBatch } from "./batch.ts";
import { benchDesign } from "./design.ts";

await benchEngine();
console.log("");
await benchLinearizability();
console.log("");
await benchExplanations();
console.log("");
await benchTransactions();
console.log("");
await benchComponents();
console.log("");
await benchLockdown();
console.log("");
await benchProcessSandbox();
console.log("");
await benchBatch();
console.log("");
await benchDesign();
