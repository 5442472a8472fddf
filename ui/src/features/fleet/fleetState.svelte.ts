// Fleet data + the adaptive poller that keeps it fresh.
import { call, commands, toCallError } from "../../lib/ipc";
import type { AppError, FleetMachine, TaskSummary } from "../../lib/ipc";
import { Poller, chooseInterval } from "../../lib/polling";
import { app } from "../../lib/state.svelte";

export const fleet = $state({
  list: null as FleetMachine[] | null,
  error: null as AppError | null,
  lastAt: 0,
  /** Poll fast until this time (ms) after the user acted. */
  fastUntil: 0,
  hidden: false,
  interval: 0,
});

/** The next refresh asks every machine for its info again (not only for its VMs). */
let freshNext = false;

async function tick(): Promise<void> {
  const fresh = freshNext;
  freshNext = false;
  try {
    fleet.list = await call(commands.fleet(fresh));
    fleet.error = null;
    fleet.lastAt = Date.now();
  } catch (e) {
    fleet.error = toCallError(e).app;
  }
}

function nextDelay(): number {
  const statuses = (fleet.list ?? []).flatMap((m) => m.tasks.map((x) => x.status));
  fleet.interval = chooseInterval(statuses, app.prefs.poll_fast_ms, app.prefs.poll_slow_ms, Date.now() < fleet.fastUntil);
  return fleet.interval;
}

const isHidden = () => typeof document !== "undefined" && document.hidden;

let poller: Poller | null = null;

function onVisibility() {
  fleet.hidden = isHidden();
  poller?.visibilityChanged();
}

export function startFleet(): () => void {
  poller?.stop();
  const p = new Poller({ tick, nextDelay, isHidden });
  poller = p;
  document.addEventListener("visibilitychange", onVisibility);
  p.start();
  return () => {
    p.stop();
    if (poller === p) poller = null;
    document.removeEventListener("visibilitychange", onVisibility);
  };
}

/** A full refresh asked for by the user (Refresh button, menu): machine info too. */
export function reloadFleet(): void {
  freshNext = true;
  refreshFleet(0);
}

/** Refresh now and keep polling fast for a while (after a user action). */
export function refreshFleet(fastForMs = 10000): void {
  fleet.fastUntil = Date.now() + fastForMs;
  void poller?.now();
}

export function insertTask(machineId: string, t: TaskSummary): void {
  const m = fleet.list?.find((x) => x.entry.id === machineId);
  if (m && !m.tasks.some((x) => x.task_id === t.task_id)) m.tasks.push(t);
}

export function findTask(machineId: string, taskId: string): TaskSummary | null {
  return fleet.list?.find((x) => x.entry.id === machineId)?.tasks.find((x) => x.task_id === taskId) ?? null;
}
