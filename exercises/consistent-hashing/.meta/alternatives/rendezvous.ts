import type { HashRing, HashRingFactory } from "clusterlab";

/** FNV-1a over the text's UTF-16 units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** MurmurHash3's finalizer: every input bit flips each output bit with probability about 1/2. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Rendezvous (highest-random-weight) hashing instead of a ring: every node scores every key, and the
 * node with the highest score owns it. A join takes only the keys the newcomer outscores everyone on; a
 * leave hands on only the leaver's keys, each to its runner-up. No points, so no virtualNodes: the spread
 * is only the keys' own randomness. Lookup costs O(N), which is fine for a few hundred nodes.
 */
const createRing: HashRingFactory = () => {
  const names: string[] = [];
  const seeds: number[] = [];

  const ring: HashRing = {
    addNode(node) {
      if (names.includes(node)) return;
      names.push(node);
      seeds.push(fmix32(fnv1a(node)));
    },
    removeNode(node) {
      const i = names.indexOf(node);
      if (i < 0) return;
      names.splice(i, 1);
      seeds.splice(i, 1);
    },
    lookup(key) {
      if (names.length === 0) throw new Error("lookup on an empty ring");
      const k = fnv1a(key);
      let best = 0;
      let bestScore = -1;
      for (let i = 0; i < names.length; i++) {
        // Two rounds, so that nodes whose seeds differ in a few bits still score a key independently.
        const score = fmix32(fmix32(k ^ seeds[i]!) ^ seeds[i]!);
        // Ties by name: the owner must not depend on the order nodes joined in.
        if (score > bestScore || (score === bestScore && names[i]! < names[best]!)) {
          best = i;
          bestScore = score;
        }
      }
      return names[best]!;
    },
  };
  return ring;
};

export default createRing;
