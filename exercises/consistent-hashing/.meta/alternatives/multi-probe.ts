import type { HashRing, HashRingFactory } from "clusterlab";

/** FNV-1a with a seed, then MurmurHash3's finalizer. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Probes per key: with 21 the fullest node owns about 1.05× the mean (Appleton and Eisenbud, 2015). */
const probes = 21;

/**
 * Multi-probe consistent hashing: one point per node, but each key is hashed `probes` times, and the
 * probe that lands closest before a point picks that point's node. A join can only win a key's closest
 * probe (so keys move only to the newcomer); a leave only loses the leaver's wins. Memory is one point
 * per node, and virtualNodes is not needed.
 */
const createRing: HashRingFactory = () => {
  let points: number[] = [];
  let owners: string[] = [];

  /** Index of the first point at or after h, wrapping to 0. */
  function successor(h: number): number {
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return lo === points.length ? 0 : lo;
  }

  const ring: HashRing = {
    addNode(node) {
      if (owners.includes(node)) return;
      const p = hash32(node, 0);
      const at = successor(p);
      // Insert in order (at 0 when it wraps: p is then the largest or the smallest; both sort right below).
      const i = points.length > 0 && points[at]! < p ? points.length : at;
      points.splice(i, 0, p);
      owners.splice(i, 0, node);
    },
    removeNode(node) {
      const i = owners.indexOf(node);
      if (i < 0) return;
      points.splice(i, 1);
      owners.splice(i, 1);
    },
    lookup(key) {
      if (points.length === 0) throw new Error("lookup on an empty ring");
      // Double hashing: probe j is h1 + j·h2, which needs two hashes per key instead of 21.
      const h1 = hash32(key, 0x9e3779b9);
      const h2 = hash32(key, 0x7f4a7c15) | 1;
      let bestDistance = Infinity;
      let best = 0;
      for (let j = 0; j < probes; j++) {
        const probe = (h1 + Math.imul(j, h2)) >>> 0;
        const s = successor(probe);
        const distance = (points[s]! - probe + 2 ** 32) % 2 ** 32;
        if (distance < bestDistance || (distance === bestDistance && owners[s]! < owners[best]!)) {
          bestDistance = distance;
          best = s;
        }
      }
      return owners[best]!;
    },
  };
  return ring;
};

export default createRing;
