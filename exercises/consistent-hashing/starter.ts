import type { HashRing, HashRingFactory } from "clusterlab";

// A consistent-hash ring: nodes join and leave, and lookup(key) names the node that owns the key.
// options.virtualNodes suggests how many points on the ring each node should get.
const createRing: HashRingFactory = (options) => {
  const nodes: string[] = [];
  const ring: HashRing = {
    addNode(node) {
      nodes.push(node);
    },
    removeNode(node) {
      nodes.splice(nodes.indexOf(node), 1);
    },
    lookup(key) {
      // TODO: every key goes to the first node for now.
      return nodes[0]!;
    },
  };
  return ring;
};

export default createRing;
