// fails: no-errors
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

/**
 * A correct ring, except that lookup returns the label of the virtual node it found ("10.3.7.21:6379#17")
 * instead of the node's own name: the caller has no node by that name.
 */
const createRing: HashRingFactory = ({ virtualNodes }) => {
  let entries: Array<[number, string]> = [];
  let points: number[] = [];

  const ring: HashRing = {
    addNode(node) {
      for (let v = 0; v < virtualNodes; v++) entries.push([hash32(`${node}#${v}`), `${node}#${v}`]);
      entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
      points = entries.map((e) => e[0]);
    },
    removeNode(node) {
      entries = entries.filter((e) => !e[1].startsWith(`${node}#`));
      points = entries.map((e) => e[0]);
    },
    lookup(key) {
      return entries[successor(points, hash32(key))]![1];
    },
  };
  return ring;
};

export default createRing;
