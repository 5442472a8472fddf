// A machine's image transfers as the Images dialog shows them. Rust's activity centre follows
// them (polling with back-off, kept across restarts, one notification at the end); this module
// only turns those activities into rows. No Svelte here.
import type { Activity, Transfer } from "../../lib/ipc";
import { problemText } from "../activity/format";

export type Direction = Transfer;

export type TransferState = "active" | "done" | "stopped" | "failed" | "unknown";

export interface TransferEntry {
  /** The activity's id. */
  key: string;
  machineId: string;
  direction: Direction;
  server: string;
  file: string;
  /** Last reported percent (null until the node said something readable). */
  percent: number | null;
  state: TransferState;
  /** Why it failed, or the last read problem while it keeps trying. */
  message: string | null;
  /** The activity behind it (speed, ETA). */
  activity: Activity;
}

const STATES: Record<Activity["state"], TransferState> = {
  running: "active",
  done: "done",
  stopped: "stopped",
  failed: "failed",
  stopped_checking: "unknown",
};

/** This machine's transfers, newest first. */
export function transfersOf(list: readonly Activity[], machineId: string): TransferEntry[] {
  return list
    .filter((a) => a.machine_id === machineId && (a.kind === "image_download" || a.kind === "image_upload"))
    .sort((x, y) => (y.started_ms ?? 0) - (x.started_ms ?? 0))
    .map((a) => ({
      key: a.id,
      machineId: a.machine_id,
      direction: a.kind === "image_download" ? "download" : "upload",
      server: a.detail ?? "",
      file: a.object,
      percent: a.percent ?? null,
      state: STATES[a.state],
      message: problemText(a),
      activity: a,
    }));
}

/** Files being moved right now (they cannot be deleted or transferred again). */
export function activeFiles(entries: readonly TransferEntry[]): Set<string> {
  return new Set(entries.filter((e) => e.state === "active").map((e) => e.file));
}

/**
 * Transfers that finished since the previous look (`seen` holds the ids already known as
 * active; it is updated). A transfer first seen already done is not "new": the dialog opened
 * after it ended.
 */
export function newlyDone(entries: readonly TransferEntry[], seen: Set<string>): TransferEntry[] {
  const out: TransferEntry[] = [];
  for (const e of entries) {
    if (e.state === "active") seen.add(e.key);
    else if (seen.delete(e.key) && e.state === "done") out.push(e);
  }
  return out;
}
