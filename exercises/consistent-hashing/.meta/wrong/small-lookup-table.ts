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

/** Index of the first point at or after h, wrapping round to 0. */
function successor(points: readonly number[], h: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}

/** Slots of the lookup table: plenty for 10 nodes (about 100 each), too few for 100 (about 10 each). */
const tableSize = 1024;

/**
 * A ring with virtual nodes, flattened into a fixed table so that lookup is one array read: each slot
 * takes the owner of the slot's position on the ring, and a key takes its slot's owner. Moves stay
 * consistent, but every node owns whole slots, and with ten slots a node the shares are uneven.
 */
const createRing: HashRingFactory = ({ virtualNodes }) => {
  let entries: Array<[number, string]> = [];
  const table: string[] = new Array(tableSize);

  function rebuild(): void {
    entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    const points = entries.map((e) => e[0]);
    for (let s = 0; s < tableSize; s++) table[s] = entries[successor(points, s * 2 ** 22)]![1];
  }

  const ring: HashRing = {
    addNode(node) {
      for (let v = 0; v < virtualNodes; v++) entries.push([hash32(`${node}#${v}`), node]);
      rebuild();
    },
    removeNode(node) {
      entries = entries.filter((e) => e[1] !== node);
      rebuild();
    },
    lookup(key) {
      return table[hash32(key) >>> 22]!;
    },
  };
  return ring;
};

export default createRing;
