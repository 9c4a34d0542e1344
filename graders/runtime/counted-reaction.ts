/**
 * A promise reaction wrapped so that `ran` hears it run, for a realm that must know whether any
 * continuation ran (a design realm drains its microtasks until a hop in which none did). A missing
 * reaction (`.catch(f)` has no onOk) is a pass-through: it becomes one that passes the value or the reason
 * on, and is heard too, so that every microtask either is a counted continuation or calls `then`.
 */
export function countedReaction(ran: () => void, callback: unknown, rejects: boolean): unknown {
  if (typeof callback === "function") {
    return (value: unknown) => {
      ran();
      return (callback as (v: unknown) => unknown)(value);
    };
  }
  return rejects
    ? (reason: unknown) => {
        ran();
        throw reason;
      }
    : (value: unknown) => {
        ran();
        return value;
      };
}
