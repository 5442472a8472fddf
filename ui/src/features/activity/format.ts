// Pure helpers of the activity centre: speed, time left, and where "Open" leads.
import type { Activity, ActivityKind } from "../../lib/ipc";
import { formatBytes, formatNumber, hasKey, t } from "../../lib/i18n.svelte";

export function isTransfer(kind: ActivityKind): boolean {
  return kind === "image_download" || kind === "image_upload";
}

/** "3 min", "1 h 5 min", or "less than a minute". */
export function durationText(secs: number): string {
  if (!(secs >= 60)) return t("activity.lessThanMinute");
  const mins = Math.round(secs / 60);
  const h = Math.floor(mins / 60);
  const m = mins % 60;
  if (!h) return t("activity.minutes", { m });
  return m ? t("activity.hoursMinutes", { h, m }) : t("activity.hours", { h });
}

/** Speed of a transfer: bytes per second when the size is known, else percent per minute. */
export function speedText(a: Pick<Activity, "percent_per_min" | "total_bytes">): string | null {
  const ppm = a.percent_per_min;
  if (ppm === null || ppm === undefined || !(ppm > 0)) return null;
  if (a.total_bytes && a.total_bytes > 0) return t("activity.perSecond", { size: formatBytes((a.total_bytes * ppm) / 100 / 60) });
  return t("activity.percentPerMinute", { n: formatNumber(ppm, { maximumFractionDigits: ppm >= 10 ? 0 : 1 }) });
}

export function etaText(a: Pick<Activity, "eta_secs" | "state">): string | null {
  if (a.state !== "running" || a.eta_secs === null || a.eta_secs === undefined || !Number.isFinite(a.eta_secs)) return null;
  if (a.eta_secs < 60) return t("activity.etaUnderMinute");
  return t("activity.eta", { time: durationText(a.eta_secs) });
}

/** What "Open" shows for an activity. */
export type OpenTarget =
  | { kind: "vm"; machineId: string; taskId: string }
  | { kind: "images"; machineId: string }
  | { kind: "lan"; machineId: string }
  | { kind: "fleet" };

export function openTarget(a: Pick<Activity, "kind" | "machine_id" | "object" | "state">): OpenTarget {
  if (isTransfer(a.kind)) return { kind: "images", machineId: a.machine_id };
  if (a.kind === "lan_create") return { kind: "lan", machineId: a.machine_id };
  if (a.kind === "vm_delete" && a.state === "done") return { kind: "fleet" };
  return { kind: "vm", machineId: a.machine_id, taskId: a.object };
}

/** Running first (newest first), then the ended ones, most recently ended first. */
export function sortActivities(list: readonly Activity[]): Activity[] {
  const when = (a: Activity) => (a.state === "running" ? (a.started_ms ?? 0) : (a.ended_ms ?? a.updated_ms ?? 0));
  return [...list].sort((x, y) => Number(y.state === "running") - Number(x.state === "running") || when(y) - when(x));
}

/** An activity's problem in words: why it failed, or what keeps a check from reading the node. */
export function problemText(a: Pick<Activity, "problem" | "state">): string | null {
  const p = a.problem;
  if (!p) return null;
  if (p.kind === "vm_gone") return t("activity.problems.vm_gone");
  if (p.kind === "node_status") return t("activity.problems.node_status", { status: p.status });
  const key = `errors.${p.key}.title`;
  const what = hasKey(key) ? t(key, p.params) : p.key;
  return a.state === "running" ? t("activity.readProblem", { message: what }) : what;
}
