import type { Prefs } from "../../lib/ipc";

export function msToSeconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** The form's values as Prefs. The ranges are Rust's (prefs_set answers with field errors). */
export function prefsFromForm(fastS: number, slowS: number, theme: Prefs["theme"], language: string, autoLockMin: number): Prefs {
  const whole = (n: number) => (Number.isFinite(Number(n)) ? Math.max(0, Math.round(Number(n))) : 0);
  return {
    poll_fast_ms: whole(Number(fastS) * 1000),
    poll_slow_ms: whole(Number(slowS) * 1000),
    theme,
    language: language || "en",
    auto_lock_minutes: whole(autoLockMin),
  };
}
