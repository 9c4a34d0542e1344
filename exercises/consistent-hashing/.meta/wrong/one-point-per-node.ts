// fails: balance
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

/**
 * A ring of points sorted by hash; each node owns `virtualNodes` points, and a key belongs to the first
 * point at or after its hash (wrapping around). Lookup is a binary search; joins and leaves rebuild the
 * sorted arrays, which is fine because they are rare next to lookups.
 */
const createRing: HashRingFactory = () => {
  // One point per node: arcs of very different lengths.
  const virtualNodes = 1;
  let points: number[] = [];
  let owners: string[] = [];
  const members = new Set<string>();

  function rebuild(): void {
    const all: Array<[number, string]> = [];
    for (const node of members) {
      for (let v = 0; v < virtualNodes; v++) all.push([hash32(`${node}#${v}`), node]);
    }
    // Ties (two points with one hash) are broken by name, so the ring does not depend on join order.
    all.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    points = all.map((p) => p[0]);
    owners = all.map((p) => p[1]);
  }

  const ring: HashRing = {
    addNode(node) {
      members.add(node);
      rebuild();
    },
    removeNode(node) {
      members.delete(node);
      rebuild();
    },
    lookup(key) {
      if (points.length === 0) throw new Error("lookup on an empty ring");
      const h = hash32(key);
      let lo = 0;
      let hi = points.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (points[mid]! < h) lo = mid + 1;
        else hi = mid;
      }
      return owners[lo === points.length ? 0 : lo]!;
    },
  };
  return ring;
};

export default createRing;
