/**
 * A 64-bit FNV-1a hash over text, as 16 hex digits, computed in two 32-bit halves so that it is the same in
 * every JavaScript engine (no BigInt, no platform crypto). Used for history hashes: same history, same hash.
 */
export function hashText(text: string): string {
  // FNV-1a 64 offset basis 0xcbf29ce484222325, prime 0x100000001b3, done with 16-bit limbs.
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i) & 0xffff;
    // multiply by prime = 2^40 + 0x1b3
    const t0 = h0 * 0x1b3, t1 = h1 * 0x1b3, t2 = h2 * 0x1b3, t3 = h3 * 0x1b3;
    let c = t0 >>> 16;
    const n1 = t1 + c; c = n1 >>> 16;
    const n2 = t2 + c + (h0 << 8); c = n2 >>> 16;
    const n3 = t3 + c + (h1 << 8);
    h0 = t0 & 0xffff;
    h1 = n1 & 0xffff;
    h2 = n2 & 0xffff;
    h3 = n3 & 0xffff;
  }
  const hex = (x: number) => x.toString(16).padStart(4, "0");
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
