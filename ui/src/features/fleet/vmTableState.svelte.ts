// State of the "All VMs" table (kept while the user visits other pages): the view, the query,
// the selection, the VM details read for GPUs and ports, and the last bulk action's results.
import { call, commands } from "../../lib/ipc";
import { confirmAsk } from "../../lib/state.svelte";
import { t, type MessageKey } from "../../lib/i18n.svelte";
import { refreshFleet } from "./fleetState.svelte";
import { BULK_CONCURRENCY, runBulk, runLimited, type BulkAction, type BulkResult, type BulkSummary, type BulkTarget } from "./bulk";
import { DEFAULT_SORT, EMPTY_QUERY, PAGE_ROWS, factsFromView, noSelection, type VmFacts, type VmQuery, type VmRow, type VmSort } from "./vmTable";

/** Details are read by themselves when this few VMs lack them; more wait for the button. */
export const AUTO_FACTS_MAX = 24;

export const vmTable = $state({
  view: "cards" as "cards" | "table",
  query: { ...EMPTY_QUERY } as VmQuery,
  sort: { ...DEFAULT_SORT } as VmSort,
  /** How many of the matching rows are on screen (back to one page when the query changes). */
  limit: PAGE_ROWS,
  /** Keys (`machineId/taskId`) of the checked rows; replaced, never mutated. */
  selected: noSelection(),
  facts: {} as Record<string, VmFacts>,
  factsRun: null as { done: number; total: number } | null,
  factsFailed: 0,
  bulk: null as { action: BulkAction; results: BulkResult[]; running: boolean } | null,
});

/** Keys whose details were already asked for (so a failing VM is not asked on every poll). */
// Deliberately not reactive: the table's effect must not re-run when a key is added.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const asked = new Set<string>();

/** Reads the details of `rows` (4 at a time) for their GPUs, host and ports. */
export async function loadFacts(rows: readonly VmRow[]): Promise<void> {
  if (vmTable.factsRun || rows.length === 0) return;
  vmTable.factsRun = { done: 0, total: rows.length };
  vmTable.factsFailed = 0;
  for (const r of rows) asked.add(r.key);
  await runLimited(rows, BULK_CONCURRENCY, async (r) => {
    try {
      const v = await call(commands.taskGet({ machine_id: r.machineId, task_id: r.taskId }));
      vmTable.facts[r.key] = factsFromView(v);
    } catch {
      vmTable.factsFailed += 1;
    }
    if (vmTable.factsRun) vmTable.factsRun.done += 1;
  });
  vmTable.factsRun = null;
}

/** Rows without details that were never asked for, when few enough to read unprompted. */
export function autoFactsFor(rows: readonly VmRow[]): VmRow[] {
  const missing = rows.filter((r) => r.gpus === null && !asked.has(r.key));
  return missing.length <= AUTO_FACTS_MAX ? missing : [];
}

/** A VM's details may have changed (its settings dialog was open): read them again. */
export function forgetFacts(key: string): void {
  asked.delete(key);
  delete vmTable.facts[key];
}

function exec(action: BulkAction, x: BulkTarget): Promise<string> {
  const ids = { machine_id: x.machineId, task_id: x.taskId };
  if (action === "restart") return call(commands.taskRestart({ ...ids, force: false }));
  return call(commands.taskAction({ ...ids, action: action === "start" ? "start" : "shutdown" }));
}

const LABELS: Record<BulkAction, MessageKey> = { start: "bulk.start", stop: "bulk.stop", restart: "bulk.restart" };

export function bulkLabel(action: BulkAction): string {
  return t(LABELS[action]);
}

/** "2 accepted · 1 failed": the parts of a bulk run's outcome that are not zero. */
export function summaryText(s: BulkSummary): string {
  return [
    s.ok && t("bulk.summaryOk", { count: s.ok }),
    s.failed && t("bulk.summaryFailed", { count: s.failed }),
    s.unknown && t("bulk.summaryUnknown", { count: s.unknown }),
    s.skipped && t("bulk.summarySkipped", { count: s.skipped }),
    s.pending && t("bulk.summaryPending", { count: s.pending }),
  ]
    .filter(Boolean)
    .join(" · ");
}

function idList(rows: readonly VmRow[]): string {
  const shown = rows.slice(0, 5).map((r) => r.taskId).join(", ");
  return rows.length > 5 ? t("bulk.more", { ids: shown, count: rows.length - 5 }) : shown;
}

/** Asks first (stop, restart), then runs `action` on each row; results land in `vmTable.bulk`. */
export async function bulkRun(action: BulkAction, rows: readonly VmRow[]): Promise<void> {
  if (rows.length === 0 || vmTable.bulk?.running) return;
  const confirm: MessageKey | null = action === "stop" ? "bulk.confirmStop" : action === "restart" ? "bulk.confirmRestart" : null;
  const label = bulkLabel(action);
  if (confirm && !(await confirmAsk({ title: t("common.confirmTitle", { action: label }), message: t(confirm, { count: rows.length, ids: idList(rows) }), confirmLabel: label }))) return;
  const targets: BulkTarget[] = rows.map((r) => ({ key: r.key, machineId: r.machineId, machineLabel: r.machineLabel, taskId: r.taskId, status: r.status }));
  vmTable.bulk = { action, results: [], running: true };
  const results = await runBulk(action, targets, exec, (r, i) => {
    if (vmTable.bulk) vmTable.bulk.results[i] = r;
  });
  if (vmTable.bulk) {
    vmTable.bulk.results = results;
    vmTable.bulk.running = false;
  }
  refreshFleet();
}
