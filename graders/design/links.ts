/**
 * The links that exist before a run starts, without storing any of them: link number r (its popularity
 * rank, 0 the most clicked) has a 7-character base62 code given by a keyed permutation of r, and a long
 * URL made from r. Stores and caches hold only what a run changes; everything else is computed from the
 * rank when asked (a store "has" every code of a rank below the universe's size). This is what lets a run
 * have a hundred million links and a warm cache of millions of entries at no cost.
 *
 * Popularity is Zipf with exponent `skew` (0.99, as YCSB) over the ranks, drawn by inverting the
 * continuous approximation of its CDF: O(1) per draw with no table, close to exact Zipf above the first
 * few ranks (what a cache sees of the head is its rank order, which is exact).
 */
import { pow } from "../sim/det-math.ts";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const digitOf = new Map([...alphabet].map((ch, i) => [ch.charCodeAt(0), i]));
export const codeLength = 7;
/** 62^7: the number of 7-character codes. */
export const codeSpace = 3_521_614_606_208;
const half = 2_097_152; // 2^21: the Feistel network works on 42 bits, just above 62^7.

function round(x: number, key: number): number {
  let h = Math.imul(x ^ key, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % half;
}

const keys = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];

function feistel(x: number): number {
  let l = Math.floor(x / half);
  let r = x % half;
  for (const k of keys) {
    const next = l ^ round(r, k);
    l = r;
    r = next;
  }
  return l * half + r;
}

function feistelInverse(y: number): number {
  let l = Math.floor(y / half);
  let r = y % half;
  for (let i = keys.length - 1; i >= 0; i--) {
    const prev = r ^ round(l, keys[i]!);
    r = l;
    l = prev;
  }
  return l * half + r;
}

/** A bijection of [0, 62^7): cycle-walking the 42-bit Feistel network until it lands inside. */
export function scramble(x: number): number {
  let y = feistel(x);
  while (y >= codeSpace) y = feistel(y);
  return y;
}

export function unscramble(y: number): number {
  let x = feistelInverse(y);
  while (x >= codeSpace) x = feistelInverse(x);
  return x;
}

export function encodeBase62(n: number, length = codeLength): string {
  let out = "";
  let x = n;
  for (let i = 0; i < length; i++) {
    out = alphabet[x % 62]! + out;
    x = Math.floor(x / 62);
  }
  return out;
}

/** The number a 7-character base62 code stands for, or −1 for any other string. */
export function decodeBase62(code: string): number {
  if (code.length !== codeLength) return -1;
  let x = 0;
  for (let i = 0; i < code.length; i++) {
    const d = digitOf.get(code.charCodeAt(i));
    if (d === undefined) return -1;
    x = x * 62 + d;
  }
  return x;
}

/**
 * Where a key falls in [0, 1) in key order, for range sharding: its first characters read as base62
 * (other characters count as 0, shorter keys are padded), so sequential codes stay together.
 */
export function keyPosition(key: string): number {
  let x = 0;
  let scale = 1;
  for (let i = 0; i < codeLength; i++) {
    scale /= 62;
    const d = i < key.length ? (digitOf.get(key.charCodeAt(i)) ?? 0) : 0;
    x += d * scale;
  }
  return x;
}

export class LinkUniverse {
  /** Links that exist when the run starts. */
  readonly size: number;
  readonly skew: number;
  private readonly a: number;
  private readonly harmonic: number;

  constructor(size: number, skew: number) {
    this.size = size;
    this.skew = skew;
    this.a = pow(size + 1, 1 - skew) - 1;
    this.harmonic = this.a / (1 - skew);
  }

  codeOf(rank: number): string {
    return encodeBase62(scramble(rank));
  }

  /** The rank of an existing link's code, or −1. */
  rankOf(code: string): number {
    const x = decodeBase62(code);
    if (x < 0) return -1;
    const rank = unscramble(x);
    return rank < this.size ? rank : -1;
  }

  urlOf(rank: number): string {
    return `https://example.com/l/${rank.toString(36)}`;
  }

  /** A rank drawn by popularity from a uniform u in [0, 1). */
  rankAt(u: number): number {
    const r = Math.floor(pow(1 + u * this.a, 1 / (1 - this.skew))) - 1;
    return r < 0 ? 0 : r >= this.size ? this.size - 1 : r;
  }

  /** The share of clicks that go to rank r (approximately r^−s / H). */
  share(rank: number): number {
    return pow(rank + 1, -this.skew) / this.harmonic;
  }

  /** The number of ranks whose share is at least `share` (the hot set above a click rate). */
  ranksAbove(share: number): number {
    if (!(share > 0)) return this.size;
    const r = pow(share * this.harmonic, -1 / this.skew);
    return Math.max(0, Math.min(this.size, Math.floor(r)));
  }
}
