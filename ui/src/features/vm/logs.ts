/** The node accepts 1–100 lines. */
export function clampLines(n: unknown): number {
  const v = typeof n === "number" ? n : Number(n);
  if (!Number.isFinite(v)) return 50;
  return Math.min(100, Math.max(1, Math.round(v)));
}
