import { parseHours } from "../rentals/format";
import type { Prefs } from "../../lib/ipc";

export function msToSeconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** The chain part of the settings form. */
export interface ChainForm {
  source: Prefs["chain_source"];
  url: string;
  /** "24, 1" */
  warnHours: string;
}

/**
 * The form's values as Prefs. The ranges are Rust's (prefs_set answers with field errors).
 * `language`: "en", "zh-CN", "ko", or "" for the system's language.
 */
export function prefsFromForm(
  fastS: number,
  slowS: number,
  theme: Prefs["theme"],
  language: string,
  autoLockMin: number,
  chain: ChainForm,
): Prefs {
  const whole = (n: number) => (Number.isFinite(Number(n)) ? Math.max(0, Math.round(Number(n))) : 0);
  return {
    poll_fast_ms: whole(Number(fastS) * 1000),
    poll_slow_ms: whole(Number(slowS) * 1000),
    theme,
    language: language.trim(),
    auto_lock_minutes: whole(autoLockMin),
    chain_source: chain.source,
    chain_url: chain.url.trim(),
    warn_before_hours: parseHours(chain.warnHours),
  };
}
