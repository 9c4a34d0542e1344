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
 * point at or after its hash (wrapping around). Lookup is a binary search. A join adds its points and
 * re-sorts (two sorted runs: the sort merges them in linear time); a leave filters its points out.
 */
const createRing: HashRingFactory = ({ virtualNodes }) => {
  let entries: Array<[number, string]> = [];
  let points: number[] = [];
  let owners: string[] = [];

  function publish(): void {
    points = entries.map((p) => p[0]);
    owners = entries.map((p) => p[1]);
  }

  // Ties (two points with one hash) are broken by name, so the ring does not depend on join order.
  const byPoint = (a: [number, string], b: [number, string]) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

  const ring: HashRing = {
    addNode(node) {
      if (owners.includes(node)) return;
      const added: Array<[number, string]> = [];
      for (let v = 0; v < virtualNodes; v++) added.push([hash32(`${node}#${v}`), node]);
      entries = entries.concat(added.sort(byPoint)).sort(byPoint);
      publish();
    },
    removeNode(node) {
      entries = entries.filter((p) => p[1] !== node);
      publish();
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
