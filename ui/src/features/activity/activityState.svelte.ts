// The activity centre's list, kept by Rust (it follows the operations, also while this window is
// closed or the app restarts) and pushed here as the `activity` event; this module only mirrors it
// and remembers the last notified end so a click on the OS notification (which focuses the
// window) can open what it was about.
import type { Activity, AppError } from "../../lib/ipc";
import { call, commands, listen, toCallError } from "../../lib/ipc";
import { app, notify } from "../../lib/state.svelte";
import { t } from "../../lib/i18n.svelte";
import { openTarget } from "./format";

export const activity = $state({
  list: [] as Activity[],
  error: null as AppError | null,
});

let started = false;
/** The last end notified while the window was not focused, and when. */
let pending: { a: Activity; at: number } | null = null;
/** A notification click focuses the window within this time; later focus is the user's own. */
const CLICK_WINDOW_MS = 120_000;

export async function loadActivity(): Promise<void> {
  try {
    activity.list = await call(commands.activityList());
    activity.error = null;
  } catch (e) {
    activity.error = toCallError(e).app;
  }
}

async function replace(p: Promise<unknown>): Promise<void> {
  try {
    activity.list = (await call(p as ReturnType<typeof commands.activityList>)) as Activity[];
  } catch (e) {
    activity.error = toCallError(e).app;
  }
}

export const dismissActivity = (id: string) => replace(commands.activityDismiss(id));
export const clearEnded = () => replace(commands.activityClearEnded());
export const recheckActivity = (id: string) => replace(commands.activityRecheck(id));

export function runningCount(): number {
  return activity.list.filter((a) => a.state === "running").length;
}

/** Show what an activity is about: the VM, the machine's images or its LANs. */
export function openActivity(a: Activity): void {
  app.focus = openTarget(a);
  app.route = "fleet";
}

/** Start mirroring (once per window). */
export function startActivity(): () => void {
  if (started) return () => {};
  started = true;
  void loadActivity();
  const offList = listen<Activity[]>("activity", (l) => (activity.list = l));
  const offEnded = listen<Activity>("activity-ended", (a) => {
    notify(t("activity.notified", { what: t(`activity.kinds.${a.kind}`), outcome: t(`activity.states.${a.state}`) }), a.state === "done" ? "ok" : "info");
    pending = document.hasFocus() ? null : { a, at: Date.now() };
  });
  const onFocus = () => {
    const p = pending;
    pending = null;
    if (p && Date.now() - p.at < CLICK_WINDOW_MS) openActivity(p.a);
  };
  window.addEventListener("focus", onFocus);
  return () => {
    started = false;
    void offList.then((un) => un());
    void offEnded.then((un) => un());
    window.removeEventListener("focus", onFocus);
  };
}
