// fails: balance
import type { HashRing, HashRingFactory } from "clusterlab";

/** Plain FNV-1a: names that differ only in their last characters get hashes close to each other. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
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

/** The reference ring with plain FNV-1a: a node's points "node#0" … "node#99" bunch together. */
const createRing: HashRingFactory = ({ virtualNodes }) => {
  let entries: Array<[number, string]> = [];
  let points: number[] = [];

  const ring: HashRing = {
    addNode(node) {
      for (let v = 0; v < virtualNodes; v++) entries.push([fnv1a(`${node}#${v}`), node]);
      entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
      points = entries.map((e) => e[0]);
    },
    removeNode(node) {
      entries = entries.filter((e) => e[1] !== node);
      points = entries.map((e) => e[0]);
    },
    lookup(key) {
      return entries[successor(points, fnv1a(key))]![1];
    },
  };
  return ring;
};

export default createRing;
