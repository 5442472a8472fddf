// Opt-in start-up timing: the UI tells Rust when it reached a point (Rust prints it only when
// DBC_DESK_TIMING is set; otherwise the call is a no-op). Never affects the UI.
import { tick } from "svelte";
import { commands } from "./ipc";

const sent = new Set<string>();

/** Report `mark` once per run, after the pending DOM update is applied and about to be painted. */
export async function markOnce(mark: string): Promise<void> {
  if (sent.has(mark)) return;
  sent.add(mark);
  await tick();
  requestAnimationFrame(() => {
    commands.timingMark(mark).catch(() => {});
  });
}
