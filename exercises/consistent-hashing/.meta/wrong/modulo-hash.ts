// fails: moved
import type { HashRing, HashRingFactory } from "clusterlab";

/** FNV-1a, then a finalizer so that similar strings ("node#1", "node#2") land far apart on the ring. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** hash(key) mod N over the sorted node list: even, but a join or leave reshuffles nearly every key. */
const createRing: HashRingFactory = () => {
  const nodes: string[] = [];
  const ring: HashRing = {
    addNode(node) {
      nodes.push(node);
      nodes.sort();
    },
    removeNode(node) {
      nodes.splice(nodes.indexOf(node), 1);
    },
    lookup(key) {
      return nodes[hash32(key) % nodes.length]!;
    },
  };
  return ring;
};

export default createRing;
