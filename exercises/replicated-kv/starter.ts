import type { Node } from "clusterlab";

export default function start(node: Node) {
  const data = new Map<number, unknown>();
  node.on("read", (msg) => {
    if (!data.has(msg.body.key)) return node.reply(msg, { type: "error", code: 20, text: "key does not exist" });
    node.reply(msg, { type: "read_ok", value: data.get(msg.body.key) });
  });
  node.on("write", (msg) => {
    data.set(msg.body.key, msg.body.value);
    node.reply(msg, { type: "write_ok" });
  });
  node.on("cas", (msg) => {
    // TODO: compare-and-set: replace `from` by `to`, error 22 when the value differs, 20 when the key is missing
    node.reply(msg, { type: "error", code: 10, text: "cas not supported yet" });
  });
  // TODO: each node only knows the writes it received itself: clients that ask another node see other data
}
