// The keyboard shortcuts: one table for the handler and for the list under Help. The native menu
// bar's accelerators (src-tauri/src/menu.rs) are listed here too, so the list is complete.
import type { MessageKey } from "./i18n.svelte";
import type { Route } from "./state.svelte";

export type ShortcutAction = { kind: "route"; route: Route } | { kind: "refresh" } | { kind: "help" } | { kind: "search" } | null;

export interface Shortcut {
  /** Keys as shown; "Mod" is Ctrl (⌘ on macOS). */
  keys: string;
  what: MessageKey;
  /** Handled by the native menu (listed only) or by the window. */
  by: "menu" | "window";
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "Mod+1", what: "shortcuts.goFleet", by: "menu" },
  { keys: "Mod+2", what: "shortcuts.goActivity", by: "menu" },
  { keys: "Mod+3", what: "shortcuts.goRentals", by: "menu" },
  { keys: "Mod+4", what: "shortcuts.goWallets", by: "menu" },
  { keys: "Mod+5", what: "shortcuts.goMachines", by: "menu" },
  { keys: "Mod+,", what: "shortcuts.goSettings", by: "menu" },
  { keys: "Mod+R", what: "shortcuts.refresh", by: "menu" },
  { keys: "/", what: "shortcuts.search", by: "window" },
  { keys: "?", what: "shortcuts.help", by: "window" },
  { keys: "Esc", what: "shortcuts.close", by: "window" },
  { keys: "Enter", what: "shortcuts.submit", by: "window" },
  { keys: "↑ ↓", what: "shortcuts.navMove", by: "window" },
];

/** "Mod+R" → "Ctrl+R" (or "⌘R" on macOS). */
export function showKeys(keys: string, mac: boolean): string {
  return mac ? keys.replace(/^Mod\+/, "⌘") : keys.replace(/^Mod\+/, "Ctrl+");
}

/** Whether a key press belongs to a text field (shortcuts without a modifier then stay out). */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== "string") return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/** The window's own shortcuts (the menu bar handles the others). */
export function shortcutFor(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "target">): ShortcutAction {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return null;
  if (e.key === "?") return { kind: "help" };
  if (e.key === "/") return { kind: "search" };
  return null;
}
