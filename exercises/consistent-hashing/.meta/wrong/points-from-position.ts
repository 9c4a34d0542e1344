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
 * Virtual nodes labelled by the node's position in the member list ("slot 3, point 17") rather than by
 * its name: when a node in the middle of the list leaves, every later node is renumbered and its points
 * move, taking keys from nodes that never changed.
 */
const createRing: HashRingFactory = ({ virtualNodes }) => {
  const members: string[] = [];
  let entries: Array<[number, string]> = [];
  let points: number[] = [];

  function rebuild(): void {
    entries = [];
    members.forEach((node, slot) => {
      for (let v = 0; v < virtualNodes; v++) entries.push([hash32(`slot${slot}#${v}`), node]);
    });
    entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    points = entries.map((e) => e[0]);
  }

  const ring: HashRing = {
    addNode(node) {
      members.push(node);
      rebuild();
    },
    removeNode(node) {
      members.splice(members.indexOf(node), 1);
      rebuild();
    },
    lookup(key) {
      return entries[successor(points, hash32(key))]![1];
    },
  };
  return ring;
};

export default createRing;
