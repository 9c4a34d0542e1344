import type { Node } from "clusterlab";

export default function start(node: Node) {
  // TODO: ask the lock for the lease ({type: "acquire"}), keep it renewed, and know when it ends.
  node.on("role", (msg) => node.reply(msg, { type: "role_ok", role: "follower" }));

  node.on("write", (msg) => {
    // TODO: the node that holds the lease writes the value to "store" with its token, then answers write_ok.
    node.reply(msg, { type: "error", code: 11, text: "not the leader" });
  });
}
