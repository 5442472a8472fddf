// The "All VMs" table: one flat row per VM across every machine, and the pure search / filter /
// sort / selection logic over those rows (no Svelte, no IPC: unit-tested and benchmarked).
//
// A VM's summary (the node's task list) carries only id, description, status and created time.
// GPUs and ports are in the VM's detail (`task_get`), fetched on demand into `VmFacts`; until then
// the row shows the machine's IP (from its info) and no GPUs or ports.
import type { FleetMachine, TaskView } from "../../lib/ipc";
import { normStatus } from "../../lib/status";

/** What a VM's detail adds to its row. */
export interface VmFacts {
  gpus: number;
  /** The VM's host as the node gave it (hidden characters written out by Rust). */
  ip: string | null;
  /** "SSH 20022 · VNC 5901", or null when the node gave none. */
  ports: string | null;
}

export interface VmRow {
  /** Unique across machines: `machineId/taskId`. */
  key: string;
  machineId: string;
  machineLabel: string;
  taskId: string;
  desc: string;
  status: string;
  /** `status` normalised (what the status filter and sort compare). */
  statusKey: string;
  created: string;
  /** The VM's host from its detail, else the machine's IP from its info, else null. */
  ip: string | null;
  /** Null until the VM's detail has been read. */
  gpus: number | null;
  ports: string | null;
  /** Lower-cased id, description, machine label and IP: what the search box matches. */
  hay: string;
}

export type SortKey = "task" | "machine" | "status" | "gpus" | "ip" | "created";
export type SortDir = "asc" | "desc";
export interface VmSort {
  key: SortKey;
  dir: SortDir;
}

/** The GPU filter's value for rows whose GPU count is not known yet. */
export const GPUS_UNKNOWN = "unknown";

export interface VmQuery {
  /** Words, all of which must appear (case-insensitive) in id, description, machine label or IP. */
  search: string;
  /** A status (compared normalised) or "" for any. */
  status: string;
  /** A machine id or "" for any. */
  machine: string;
  /** A GPU count ("0", "2"…), GPUS_UNKNOWN, or "" for any. */
  gpus: string;
}

/**
 * Rows put on screen at a time. Filtering and sorting 1,000 rows takes well under a millisecond,
 * but creating a thousand table rows in the web view takes seconds on a slow machine: the table
 * shows this many and offers the next ones as the user scrolls to them.
 */
export const PAGE_ROWS = 50;

export const EMPTY_QUERY: VmQuery = { search: "", status: "", machine: "", gpus: "" };
export const DEFAULT_SORT: VmSort = { key: "created", dir: "desc" };

export function rowKey(machineId: string, taskId: string): string {
  return `${machineId}/${taskId}`;
}

/** The facts a VM's detail gives the table. */
export function factsFromView(v: TaskView): VmFacts {
  const shown = (f: string) => v.connection.values.find((x) => x.field === f)?.shown.trim() || null;
  const ports = (
    [
      ["SSH", shown("ssh_port")],
      ["RDP", shown("rdp_port")],
      ["VNC", shown("vnc_port")],
    ] as const
  )
    .filter(([, p]) => p !== null && p !== "0")
    .map(([k, p]) => `${k} ${p}`);
  return { gpus: v.detail.gpu_count, ip: shown("ssh_ip"), ports: ports.length ? ports.join(" · ") : null };
}

/** One row per VM of every machine, in machine order then the node's order. */
export function buildRows(list: readonly FleetMachine[], facts: Readonly<Record<string, VmFacts>> = {}): VmRow[] {
  const rows: VmRow[] = [];
  for (const m of list) {
    const machineIp = m.info?.ip?.trim() || null;
    for (const task of m.tasks) {
      const key = rowKey(m.entry.id, task.task_id);
      const f = facts[key];
      const ip = f?.ip ?? machineIp;
      rows.push({
        key,
        machineId: m.entry.id,
        machineLabel: m.entry.label,
        taskId: task.task_id,
        desc: task.desc,
        status: task.status,
        statusKey: normStatus(task.status),
        created: task.create_time,
        ip,
        gpus: f ? f.gpus : null,
        ports: f?.ports ?? null,
        hay: [task.task_id, task.desc, m.entry.label, ip ?? ""].join("\n").toLowerCase(),
      });
    }
  }
  return rows;
}

function terms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The rows that match every part of the query (a new array; the input is not changed). */
export function filterRows(rows: readonly VmRow[], q: VmQuery): VmRow[] {
  const words = terms(q.search);
  const status = q.status ? normStatus(q.status) : "";
  const gpus = q.gpus === "" || q.gpus === GPUS_UNKNOWN ? null : Number(q.gpus);
  return rows.filter((r) => {
    if (q.machine && r.machineId !== q.machine) return false;
    if (status && r.statusKey !== status) return false;
    if (q.gpus === GPUS_UNKNOWN ? r.gpus !== null : gpus !== null && r.gpus !== gpus) return false;
    for (const w of words) if (!r.hay.includes(w)) return false;
    return true;
  });
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function value(r: VmRow, key: SortKey): string | number | null {
  switch (key) {
    case "task": return r.taskId;
    case "machine": return r.machineLabel;
    case "status": return r.statusKey;
    case "gpus": return r.gpus;
    case "ip": return r.ip;
    case "created": return r.created || null;
  }
}

/**
 * Sorted by `s` (a new array). Missing values (unknown GPUs, no IP) always go last; ties keep
 * a stable order by machine label then VM id, so rows do not jump between refreshes.
 */
export function sortRows(rows: readonly VmRow[], s: VmSort): VmRow[] {
  const sign = s.dir === "asc" ? 1 : -1;
  // Created times are fixed-width "YYYY-MM-DD HH:MM:SS": plain comparison is right and faster.
  const plain = s.key === "created";
  const keyed = rows.map((r) => ({ r, v: value(r, s.key) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) {
      if (a.v !== b.v) return a.v === null ? 1 : -1;
    } else {
      const c = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : plain ? cmp(a.v, b.v) : collator.compare(String(a.v), String(b.v));
      if (c !== 0) return sign * c;
    }
    return collator.compare(a.r.machineLabel, b.r.machineLabel) || collator.compare(a.r.taskId, b.r.taskId);
  });
  return keyed.map((x) => x.r);
}

/** What the table shows for a query and a sort: one keystroke's work. */
export function viewRows(rows: readonly VmRow[], q: VmQuery, s: VmSort): VmRow[] {
  return sortRows(filterRows(rows, q), s);
}

/** Clicking a column header: the same column flips direction, another one starts ascending. */
export function toggleSort(s: VmSort, key: SortKey): VmSort {
  return s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: "asc" };
}

export interface FilterOptions {
  /** Normalised statuses present, sorted. */
  statuses: string[];
  machines: { id: string; label: string }[];
  /** Known GPU counts present, ascending. */
  gpus: number[];
  /** Some rows' GPU count is not known yet. */
  gpusUnknown: boolean;
}

/** The choices the filter menus offer: only values some row has. */
export function filterOptions(rows: readonly VmRow[], machines: readonly FleetMachine[] = []): FilterOptions {
  const statuses = new Set<string>();
  const gpus = new Set<number>();
  let gpusUnknown = false;
  for (const r of rows) {
    statuses.add(r.statusKey);
    if (r.gpus === null) gpusUnknown = true;
    else gpus.add(r.gpus);
  }
  const seen = new Map<string, string>();
  for (const m of machines) seen.set(m.entry.id, m.entry.label);
  for (const r of rows) if (!seen.has(r.machineId)) seen.set(r.machineId, r.machineLabel);
  return {
    statuses: [...statuses].sort(collator.compare),
    machines: [...seen].map(([id, label]) => ({ id, label })).sort((a, b) => collator.compare(a.label, b.label)),
    gpus: [...gpus].sort((a, b) => a - b),
    gpusUnknown,
  };
}

// ---- selection (keys of rows; every change makes a new set) ----

export function noSelection(): ReadonlySet<string> {
  return new Set();
}

/** The selected rows among those shown: what a bulk action acts on. */
export function selectedIn(selected: ReadonlySet<string>, visible: readonly VmRow[]): VmRow[] {
  return visible.filter((r) => selected.has(r.key));
}

/** "all", "some" or "none" of the shown rows are selected (drives the select-all checkbox). */
export function selectionState(selected: ReadonlySet<string>, visible: readonly VmRow[]): "all" | "some" | "none" {
  const n = selectedIn(selected, visible).length;
  return n === 0 ? "none" : n === visible.length ? "all" : "some";
}

/** Select (or clear) every shown row; the selection of hidden rows is left as it is. */
export function setAllVisible(selected: ReadonlySet<string>, visible: readonly VmRow[], on: boolean): Set<string> {
  const next = new Set(selected);
  for (const r of visible) {
    if (on) next.add(r.key);
    else next.delete(r.key);
  }
  return next;
}

export function toggleKey(selected: ReadonlySet<string>, key: string): Set<string> {
  const next = new Set(selected);
  if (!next.delete(key)) next.add(key);
  return next;
}

/** Drops keys of VMs that no longer exist (deleted, machine removed). */
export function pruneSelection(selected: ReadonlySet<string>, rows: readonly VmRow[]): Set<string> {
  const live = new Set(rows.map((r) => r.key));
  return new Set([...selected].filter((k) => live.has(k)));
}
