/** Virtual time for people: whole milliseconds below 10 s, seconds with one decimal above. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "never";
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
