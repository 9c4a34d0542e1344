// `npm run bench`: every benchmark, each with its baseline measured in the same process.
import { benchEngine } from "./engine.ts";
import { benchLinearizability } from "./linearizability.ts";

await benchEngine();
console.log("");
await benchLinearizability();
