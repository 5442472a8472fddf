// Image downloads/uploads: reading the node's progress replies, the polling schedule, and a small
// module-level store so transfers stay listed when the Images dialog is closed and reopened during
// this app run. No Svelte here: the store follows the Svelte store contract (`subscribe`), so a
// component reads it as `$store`, and the tests drive it with fake timers and a fake node.
import type { AppError, Transfer } from "../../lib/ipc";
import { call, commands, toCallError } from "../../lib/ipc";

export type Direction = Transfer;

/** What `imageTransferProgress` answers: `{status: "downloading", progress: "37%"}`. */
export interface ProgressReply {
  status: string;
  progress: string;
}

/** Poll about once a second while a transfer is active. */
export const POLL_MS = 1000;
/** Longest wait between polls while the node keeps failing. */
export const MAX_BACKOFF_MS = 10_000;
/** After this many failed polls in a row the transfer is shown as failed and no longer polled. */
export const MAX_POLL_ERRORS = 5;

/** "37%" → 37, " 99.5 % " → 99.5, "100%" → 100; clamps to 0..100; anything else → null. */
export function parseProgress(s: string | null | undefined): number | null {
  if (typeof s !== "string") return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  return Math.min(100, Math.max(0, n));
}

/** The node says `done` when a transfer finished (and, quirk, for a name it does not know). */
export function isDone(p: ProgressReply): boolean {
  return p.status.trim().toLowerCase() === "done";
}

/** Delay before the next poll: POLL_MS normally, doubling per failed poll in a row, capped. */
export function nextPollDelay(consecutiveErrors: number): number {
  if (!(consecutiveErrors > 0)) return POLL_MS;
  return Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** Math.min(consecutiveErrors, 10));
}

export function transferKey(machineId: string, direction: Direction, file: string): string {
  return `${machineId}\u0000${direction}\u0000${file}`;
}

export type TransferState = "active" | "done" | "stopped" | "failed";

export interface TransferEntry {
  key: string;
  machineId: string;
  direction: Direction;
  server: string;
  file: string;
  /** Last reported percent (null until the node said something readable). */
  percent: number | null;
  /** Last raw status from the node ("downloading", "uploading", "done"). */
  status: string;
  state: TransferState;
  /** Last polling error (kept while retrying; final when state is "failed"). */
  error: AppError | null;
  errors: number;
}

export interface TrackerDeps {
  progress: (machineId: string, direction: Direction, file: string) => Promise<ProgressReply>;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (h: unknown) => void;
}

type Listener = (entries: TransferEntry[]) => void;
type DoneListener = (e: TransferEntry) => void;

interface Watch {
  timer: unknown;
  running: boolean;
  again: boolean;
  onDone: DoneListener | null;
}

/**
 * Keeps the transfers started in this app run. Polling happens only for machines being watched
 * (the dialog is open): one loop per machine, the next round scheduled only after the previous one
 * returned, so calls never overlap.
 */
export class TransferTracker {
  private entries = new Map<string, TransferEntry>();
  private listeners = new Set<Listener>();
  private watches = new Map<string, Watch>();

  constructor(private deps: TrackerDeps) {}

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    fn(this.list());
    return () => this.listeners.delete(fn);
  }

  list(machineId?: string): TransferEntry[] {
    const all = [...this.entries.values()];
    return machineId === undefined ? all : all.filter((e) => e.machineId === machineId);
  }

  get(machineId: string, direction: Direction, file: string): TransferEntry | undefined {
    return this.entries.get(transferKey(machineId, direction, file));
  }

  /** Is a file of this machine being moved right now (so it cannot be deleted or used)? */
  busy(machineId: string, file: string): boolean {
    return this.list(machineId).some((e) => e.file === file && e.state === "active");
  }

  /** Records a transfer the node accepted; polls it if its machine is watched. */
  add(machineId: string, direction: Direction, server: string, file: string): TransferEntry {
    const key = transferKey(machineId, direction, file);
    const e: TransferEntry = { key, machineId, direction, server, file, percent: 0, status: "", state: "active", error: null, errors: 0 };
    this.entries.set(key, e);
    this.emit();
    this.kick(machineId);
    return e;
  }

  /** Marks a transfer stopped (after the node accepted the stop). */
  markStopped(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.set(key, { ...e, state: "stopped" });
    this.emit();
  }

  /** Forgets a finished/stopped/failed transfer. Active ones stay. */
  dismiss(key: string): void {
    const e = this.entries.get(key);
    if (!e || e.state === "active") return;
    this.entries.delete(key);
    this.emit();
  }

  /** Starts polling this machine's active transfers; returns the function that stops it. */
  watch(machineId: string, onDone: DoneListener | null = null): () => void {
    this.unwatch(machineId);
    const w: Watch = { timer: null, running: false, again: false, onDone };
    this.watches.set(machineId, w);
    this.kick(machineId);
    return () => {
      if (this.watches.get(machineId) === w) this.unwatch(machineId);
    };
  }

  isWatching(machineId: string): boolean {
    return this.watches.has(machineId);
  }

  private unwatch(machineId: string): void {
    const w = this.watches.get(machineId);
    if (!w) return;
    this.clear(w);
    this.watches.delete(machineId);
  }

  /** Polls now (or right after the round in flight). */
  private kick(machineId: string): void {
    const w = this.watches.get(machineId);
    if (!w) return;
    if (w.running) {
      w.again = true;
      return;
    }
    this.clear(w);
    void this.round(machineId, w);
  }

  private async round(machineId: string, w: Watch): Promise<void> {
    w.running = true;
    try {
      for (const e of this.list(machineId)) {
        if (e.state !== "active") continue;
        if (this.watches.get(machineId) !== w) return;
        await this.pollOne(e.key, w);
      }
    } finally {
      w.running = false;
    }
    if (this.watches.get(machineId) !== w) return;
    const active = this.list(machineId).filter((e) => e.state === "active");
    if (w.again) {
      w.again = false;
      if (active.length) return this.round(machineId, w);
    }
    if (!active.length) return;
    const worst = Math.max(...active.map((e) => e.errors));
    const set = this.deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    w.timer = set(() => {
      w.timer = null;
      if (this.watches.get(machineId) === w) this.kick(machineId);
    }, nextPollDelay(worst));
  }

  private async pollOne(key: string, w: Watch): Promise<void> {
    const before = this.entries.get(key);
    if (!before) return;
    let next: TransferEntry;
    try {
      const p = await this.deps.progress(before.machineId, before.direction, before.file);
      const cur = this.entries.get(key);
      if (!cur || cur.state !== "active") return; // stopped or dismissed meanwhile
      const done = isDone(p);
      next = { ...cur, status: p.status, percent: done ? 100 : (parseProgress(p.progress) ?? cur.percent), state: done ? "done" : "active", error: null, errors: 0 };
    } catch (err) {
      const cur = this.entries.get(key);
      if (!cur || cur.state !== "active") return;
      const errors = cur.errors + 1;
      next = { ...cur, error: toCallError(err).app, errors, state: errors >= MAX_POLL_ERRORS ? "failed" : "active" };
    }
    this.entries.set(key, next);
    this.emit();
    if (next.state === "done") w.onDone?.(next);
  }

  private clear(w: Watch): void {
    if (w.timer !== null) {
      (this.deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(w.timer);
      w.timer = null;
    }
  }

  private emit(): void {
    const l = this.list();
    for (const fn of this.listeners) fn(l);
  }
}

/** The app's transfers (this run only). */
export const transfers = new TransferTracker({
  progress: (machineId, direction, file) => call(commands.imageTransferProgress({ machine_id: machineId, direction, file })),
});
