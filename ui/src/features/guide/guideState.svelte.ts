// The first-run guide's state: shown while `app.info.guide_done` is false, unless hidden for
// this run (Esc or ✕: not marked done, so it is back at the next start; the header's Guide
// button brings it back at once). "Skip guide" and "Done" mark it done through Rust.
import { call, commands } from "../../lib/ipc";
import { app, notifyError } from "../../lib/state.svelte";
import type { StepId } from "./guide";

export const guide = $state({
  /** Hidden until the next start (Esc or ✕). */
  hidden: false,
  /** The panel takes the focus when it opens next (after the Guide button). */
  focus: false,
  /** A form a step's button asked its page to open; taken by that page. */
  ask: null as { form: StepId; at: number } | null,
});

/** An ask older than this is dropped (the page that would open it never came). */
const ASK_MS = 10_000;

export function guideShown(): boolean {
  return !!app.info && !app.info.guide_done && !guide.hidden;
}

/** Ask the page of `form` to open its add/create form. */
export function askForm(form: StepId): void {
  guide.ask = { form, at: Date.now() };
}

/** True, once, when the guide asked for `form` a moment ago (the ask is cleared). Reactive. */
export function takeAsk(form: StepId): boolean {
  const a = guide.ask;
  if (!a || a.form !== form) return false;
  guide.ask = null;
  return Date.now() - a.at < ASK_MS;
}

/** Mark the guide done (Skip, Done) or not done (open it again). False when Rust refused. */
export async function setGuideDone(done: boolean): Promise<boolean> {
  try {
    await call(commands.guideDone(done));
  } catch (e) {
    notifyError(e);
    return false;
  }
  if (app.info) app.info.guide_done = done;
  if (!done) guide.hidden = false;
  return true;
}

/** The header's Guide button: shows the guide again (and clears "done"). */
export async function reopenGuide(): Promise<void> {
  guide.focus = true;
  if (app.info?.guide_done) await setGuideDone(false);
  else guide.hidden = false;
}
