// VM status classification (SPEC §4.2). Unknown statuses are shown verbatim with a neutral badge.
import { t, type MessageKey } from "./i18n.svelte";

export type StatusKind = "ok" | "off" | "busy" | "error" | "neutral";

const TRANSITIONAL = new Set([
  "creating",
  "starting",
  "being shutdown",
  "being poweroff",
  "restarting",
  "resetting",
  "deleting",
  "disk resizing",
  "disk adding",
  "disk deleting",
  "snapshot creating",
]);

export function normStatus(status: string): string {
  return status.trim().toLowerCase().replace(/\s+/g, " ");
}

export function isTransitional(status: string): boolean {
  return TRANSITIONAL.has(normStatus(status));
}

export function classifyStatus(status: string): StatusKind {
  const s = normStatus(status);
  if (s === "running") return "ok";
  if (s === "closed" || s === "pmsuspend") return "off";
  if (TRANSITIONAL.has(s)) return "busy";
  if (s === "error" || s.endsWith(" error")) return "error";
  return "neutral";
}

/** The node's statuses that have a friendly label (normalised status → catalog key). */
export const STATUS_LABELS: Readonly<Record<string, MessageKey>> = {
  running: "status.running",
  closed: "status.closed",
  pmsuspend: "status.pmsuspend",
  creating: "status.creating",
  starting: "status.starting",
  "being shutdown": "status.beingShutdown",
  "being poweroff": "status.beingPoweroff",
  restarting: "status.restarting",
  resetting: "status.resetting",
  deleting: "status.deleting",
  none: "status.none",
};

/** A friendly label; the verbatim status is always kept next to it (title/data attribute). */
export function statusLabel(status: string): string {
  const key = STATUS_LABELS[normStatus(status)];
  return key ? t(key) : status;
}

/** Which actions make sense in a given status (buttons stay clickable for unknown ones). */
export function allowedActions(status: string): Set<string> {
  const s = normStatus(status);
  if (isTransitional(s)) return new Set(s === "deleting" ? [] : ["delete"]);
  if (s === "running") return new Set(["shutdown", "poweroff", "restart", "force_restart", "reset", "delete"]);
  if (s === "closed" || s === "pmsuspend") return new Set(["start", "restart", "delete"]);
  return new Set(["start", "shutdown", "poweroff", "restart", "force_restart", "delete"]);
}
