/**
 * A value of a spec in short words, for the exercise reference (its scenarios, budgets and systems, some
 * of which each harness describes: Harness.describeSystem): objects as "key value, …", lists joined, long
 * text elided.
 */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value.length > 120 ? `${value.slice(0, 117)}…` : value;
  if (typeof value === "number") return Number.isFinite(value) ? value.toLocaleString("en") : String(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map(describeValue).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => (typeof v === "object" && v !== null ? `${k} (${describeValue(v)})` : `${k} ${describeValue(v)}`))
      .join(", ");
  }
  return String(value);
}
