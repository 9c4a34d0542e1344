// A hybrid clock with a durable lease: ids are the node id and max(clock, last + 1). Storage holds a ceiling
// the clock part may not pass without writing a new one, a lease of 10,000 ticks; after a crash the node
// starts above the ceiling, which is above every id it handed out, however far ahead of its clock it ran.
import type { Node } from "clusterlab";

const leaseTicks = 10_000;

export default function start(node: Node) {
  let last: number = node.storage.get("ceiling") ?? 0;
  let ceiling = last;
  node.on("generate", (msg) => {
    last = Math.max(node.now(), last + 1);
    if (last >= ceiling) {
      ceiling = last + leaseTicks;
      node.storage.set("ceiling", ceiling);
    }
    node.reply(msg, { type: "generate_ok", id: `${node.id}-${last}` });
  });
}
