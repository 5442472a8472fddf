import type { Prefs } from "../../lib/ipc";

export function msToSeconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** Returns Prefs, or a message saying what is wrong. */
export function prefsFromForm(fastS: number, slowS: number, theme: Prefs["theme"], language: string): Prefs | string {
  const fast = Math.round(Number(fastS) * 1000);
  const slow = Math.round(Number(slowS) * 1000);
  if (!Number.isFinite(fast) || fast < 500) return "The fast interval must be at least 0.5 seconds";
  if (!Number.isFinite(slow) || slow < fast) return "The slow interval must be at least the fast one";
  if (slow > 3_600_000) return "The slow interval must be at most one hour";
  return { poll_fast_ms: fast, poll_slow_ms: slow, theme, language: language || "en" };
}
