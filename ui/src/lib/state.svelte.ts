// App-wide reactive state (Svelte 5 runes). Kept small: what several screens need.
import type { AppError, AppInfo, Prefs } from "./ipc";
import { call, commands, toCallError } from "./ipc";
import { DEFAULT_FAST_MS, DEFAULT_SLOW_MS } from "./polling";

export type Route = "fleet" | "activity" | "rentals" | "wallets" | "machines" | "settings";

/** Something another screen asked the fleet to show (the activity centre's "Open"). */
export type Focus =
  | { kind: "vm"; machineId: string; taskId: string }
  | { kind: "images"; machineId: string }
  | { kind: "lan"; machineId: string }
  | { kind: "fleet" };

export const app = $state({
  route: "fleet" as Route,
  info: null as AppInfo | null,
  prefs: {
    poll_fast_ms: DEFAULT_FAST_MS,
    poll_slow_ms: DEFAULT_SLOW_MS,
    language: "",
    theme: "system",
    auto_lock_minutes: 15,
    chain_source: "auto",
    chain_url: "",
    warn_before_hours: [24, 1],
  } as Prefs,
  loadError: null as AppError | null,
  /** Taken (set back to null) by the screen that shows it. */
  focus: null as Focus | null,
  /** Bumped whenever wallets/machines/connection change, so pages re-fetch. */
  epoch: 0,
});

export async function loadAppInfo(): Promise<void> {
  try {
    app.info = await call(commands.appInfo());
    app.loadError = null;
  } catch (e) {
    app.loadError = toCallError(e).app;
  }
}

export async function loadPrefs(): Promise<void> {
  try {
    app.prefs = await call(commands.prefsGet());
  } catch {
    // keep defaults; Settings shows the error when saving
  }
}

export function bump(): void {
  app.epoch += 1;
}

// ---- toasts ----
export interface Toast {
  id: number;
  kind: "ok" | "info" | "error";
  text: string;
  error: AppError | null;
}

export const toasts = $state({ list: [] as Toast[] });
let nextToast = 1;

export function notify(text: string, kind: "ok" | "info" = "ok"): void {
  const id = nextToast++;
  toasts.list.push({ id, kind, text, error: null });
  setTimeout(() => dismiss(id), 4000);
}

export function notifyError(e: unknown): AppError {
  const err = toCallError(e).app;
  const id = nextToast++;
  toasts.list.push({ id, kind: "error", text: err.title, error: err });
  setTimeout(() => dismiss(id), 15000);
  return err;
}

export function dismiss(id: number): void {
  const i = toasts.list.findIndex((x) => x.id === id);
  if (i >= 0) toasts.list.splice(i, 1);
}

// ---- confirmation dialog ----
export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
  resolve: (ok: boolean) => void;
}

export const confirmState = $state({ current: null as ConfirmRequest | null });

export function confirmAsk(o: { title: string; message: string; confirmLabel: string; danger?: boolean }): Promise<boolean> {
  confirmState.current?.resolve(false);
  return new Promise((resolve) => {
    confirmState.current = {
      title: o.title,
      message: o.message,
      confirmLabel: o.confirmLabel,
      danger: o.danger ?? true,
      resolve: (ok) => {
        confirmState.current = null;
        resolve(ok);
      },
    };
  });
}
