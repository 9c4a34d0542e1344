import type { HashRing, HashRingFactory } from "clusterlab";

/** MurmurHash3 (x86, 32-bit) over the text's UTF-16 units, two to a block. */
function murmur3(text: string, seed = 0): number {
  let h = seed >>> 0;
  let i = 0;
  for (; i + 1 < text.length; i += 2) {
    let k = (text.charCodeAt(i) & 0xffff) | ((text.charCodeAt(i + 1) & 0xffff) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < text.length) {
    let k = text.charCodeAt(i) & 0xffff;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The ring is cut into 2^bucketBits equal ranges by the hash's top bits. */
const bucketBits = 12;

interface Point {
  at: number;
  node: string;
}

/**
 * The same ring as a sorted array would hold, kept in buckets instead: bucket b holds, sorted, the
 * points whose hash has top bits b. A join or a leave touches only the buckets of that node's points
 * (no re-sort of the whole ring); a lookup scans its own bucket from the key's hash, then the next
 * non-empty bucket. Points are labelled `${v}/${node}` and hashed with MurmurHash3, not FNV-1a.
 */
const createRing: HashRingFactory = ({ virtualNodes }) => {
  const buckets: Point[][] = Array.from({ length: 2 ** bucketBits }, () => []);
  const members = new Set<string>();
  const before = (a: Point, b: Point) => a.at < b.at || (a.at === b.at && a.node < b.node);

  const ring: HashRing = {
    addNode(node) {
      if (members.has(node)) return;
      members.add(node);
      for (let v = 0; v < virtualNodes; v++) {
        const point = { at: murmur3(`${v}/${node}`), node };
        const bucket = buckets[point.at >>> (32 - bucketBits)]!;
        let i = bucket.length;
        while (i > 0 && before(point, bucket[i - 1]!)) i--;
        bucket.splice(i, 0, point);
      }
    },
    removeNode(node) {
      if (!members.delete(node)) return;
      for (let v = 0; v < virtualNodes; v++) {
        const b = murmur3(`${v}/${node}`) >>> (32 - bucketBits);
        buckets[b] = buckets[b]!.filter((p) => p.node !== node);
      }
    },
    lookup(key) {
      if (members.size === 0) throw new Error("lookup on an empty ring");
      const h = murmur3(key);
      const first = h >>> (32 - bucketBits);
      for (const p of buckets[first]!) if (p.at >= h) return p.node;
      // Past the last point of the key's bucket: the first point of the next non-empty one, wrapping.
      for (let step = 1; step <= buckets.length; step++) {
        const bucket = buckets[(first + step) % buckets.length]!;
        if (bucket.length) return bucket[0]!.node;
      }
      throw new Error("unreachable: the ring has points");
    },
  };
  return ring;
};

export default createRing;
