/**
 * Intl.Segmenter's %SegmentsPrototype% and %SegmentIteratorPrototype% are shared objects reachable only
 * from a Segmenter's results; making one at lockdown costs up to ~35 ms the first time in a process (ICU
 * loads its break-iterator data). So `segment()` freezes both before it first hands a result out: no code
 * can reach them earlier.
 */
import { freezeGraph } from "./freeze-graph.ts";

const { apply, defineProperty, getPrototypeOf } = Reflect;

export function freezeSegmentsOnFirstUse(): void {
  const Segmenter = (Intl as unknown as { Segmenter?: (new () => object) & { prototype: { segment(text: string): object } } }).Segmenter;
  if (typeof Segmenter !== "function") return;
  const segment = Segmenter.prototype.segment;
  let frozen = false;
  class FreezingSegmenter {
    segment(text: unknown): object {
      const segments = apply(segment, this, [text]) as Iterable<unknown> & object;
      if (!frozen) {
        frozen = true;
        // Only these two and their methods are new: the rest of the realm is frozen already.
        freezeGraph([getPrototypeOf(segments)!, getPrototypeOf(segments[Symbol.iterator]())!], true);
      }
      return segments;
    }
  }
  defineProperty(Segmenter.prototype, "segment", { value: FreezingSegmenter.prototype.segment, writable: true, enumerable: false, configurable: true });
}
