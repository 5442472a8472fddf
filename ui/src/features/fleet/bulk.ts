// Bulk start / stop / restart over selected VMs: each VM gets its own request through the usual
// IPC command, a few at a time, and its own result. Pure apart from the injected `exec`.
import type { AppError } from "../../lib/ipc";
import { toCallError } from "../../lib/ipc";
import { isAmbiguous } from "../../lib/errors";
import { allowedActions } from "../../lib/status";

export type BulkAction = "start" | "stop" | "restart";

/** How many VM requests run at once. */
export const BULK_CONCURRENCY = 4;

/** The VM action each bulk action is (stop is a shutdown; restart is the soft one). */
export const VM_ACTION: Record<BulkAction, "start" | "shutdown" | "restart"> = {
  start: "start",
  stop: "shutdown",
  restart: "restart",
};

export interface BulkTarget {
  key: string;
  machineId: string;
  machineLabel: string;
  taskId: string;
  status: string;
}

/** pending → ok | error | unknown (the node may have done it) | skipped (not in a state for it). */
export type BulkState = "pending" | "ok" | "error" | "unknown" | "skipped";

export interface BulkResult {
  key: string;
  machineId: string;
  machineLabel: string;
  taskId: string;
  state: BulkState;
  error: AppError | null;
  /** The VM's status when it was skipped. */
  status: string;
}

/** Whether the action makes sense in the VM's status (unknown statuses allow everything). */
export function canRun(action: BulkAction, status: string): boolean {
  return allowedActions(status).has(VM_ACTION[action]);
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of the list. Resolves
 * when all have settled; `fn` must not throw (errors are per-item results).
 */
export async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Runs `action` on every target through `exec` (one IPC call per VM). `onResult` is called with
 * every target's result (and its index in `targets`) as pending or skipped first, then once more
 * when it settles. Returns the final results in the targets' order.
 */
export async function runBulk(
  action: BulkAction,
  targets: readonly BulkTarget[],
  exec: (action: BulkAction, t: BulkTarget) => Promise<unknown>,
  onResult: (r: BulkResult, index: number) => void = () => {},
  limit = BULK_CONCURRENCY,
): Promise<BulkResult[]> {
  const base = (t: BulkTarget, state: BulkState, error: AppError | null = null): BulkResult => ({
    key: t.key,
    machineId: t.machineId,
    machineLabel: t.machineLabel,
    taskId: t.taskId,
    state,
    error,
    status: t.status,
  });
  const out = targets.map((t) => base(t, canRun(action, t.status) ? "pending" : "skipped"));
  out.forEach((r, i) => onResult(r, i));
  const todo = targets.map((t, i) => ({ t, i })).filter(({ i }) => out[i].state === "pending");
  await runLimited(todo, limit, async ({ t, i }) => {
    let r: BulkResult;
    try {
      await exec(action, t);
      r = base(t, "ok");
    } catch (e) {
      const err = toCallError(e).app;
      r = base(t, isAmbiguous(err) ? "unknown" : "error", err);
    }
    out[i] = r;
    onResult(r, i);
  });
  return out;
}

export interface BulkSummary {
  ok: number;
  failed: number;
  unknown: number;
  skipped: number;
  pending: number;
}

export function summarize(results: readonly BulkResult[]): BulkSummary {
  const s: BulkSummary = { ok: 0, failed: 0, unknown: 0, skipped: 0, pending: 0 };
  for (const r of results) {
    if (r.state === "ok") s.ok++;
    else if (r.state === "error") s.failed++;
    else if (r.state === "unknown") s.unknown++;
    else if (r.state === "skipped") s.skipped++;
    else s.pending++;
  }
  return s;
}
