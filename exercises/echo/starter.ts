import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", (msg) => {
    // TODO: answer with {type: "echo_ok", echo: <the same value>}
  });
}
