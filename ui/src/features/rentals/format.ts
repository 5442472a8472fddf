// Countdowns and end times of rentals. The end instant comes from Rust (block difference x 6 s
// at the time of the read); here it only ticks down and is written out.
import { formatDateTime, t, type MessageKey } from "../../lib/i18n.svelte";

/** Seconds left until `endsAtMs`, never negative. */
export function secondsLeft(endsAtMs: number, nowMs: number): number {
  return Math.max(0, Math.floor((endsAtMs - nowMs) / 1000));
}

const two = (n: number) => String(n).padStart(2, "0");

/** "3 d 04:05:06" above a day (zh "3 天 04:05:06", ko "3일 04:05:06"), "04:05:06" below. */
export function countdown(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  const d = Math.floor(s / 86_400);
  const hms = `${two(Math.floor((s % 86_400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return d > 0 ? t("rentals.countdownDays", { days: d, time: hms }) : hms;
}

/** The end as a date and time in the UI's language. */
export function localEnd(endsAtMs: number): string {
  return formatDateTime(new Date(endsAtMs));
}

/** The chain's rent statuses that have words (others are shown as the chain says them). */
export const RENT_STATUS_LABELS: Readonly<Record<string, MessageKey>> = {
  renting: "rentals.status.renting",
  waitingVerifying: "rentals.status.waitingVerifying",
  rentExpired: "rentals.status.rentExpired",
};

export function rentStatusLabel(status: string): string {
  const key = RENT_STATUS_LABELS[status];
  return key ? t(key) : status;
}

/** "24, 1" → [24, 1]; anything that is not a number is sent as 0 for Rust to refuse. */
export function parseHours(text: string): number[] {
  return text
    .split(/[,\s]+/)
    .filter((x) => x.length > 0)
    .map((x) => {
      const n = Number(x);
      return Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0;
    });
}
