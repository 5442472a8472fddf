// What a click in the native menu bar means for the UI (the backend forwards the item id as a
// `menu` event; see src-tauri/src/menu.rs).
import type { Route } from "./state.svelte";

export type MenuAction = { kind: "route"; route: Route } | { kind: "refresh" } | { kind: "help" } | null;

const routes: Record<string, Route> = {
  "go:fleet": "fleet",
  "go:activity": "activity",
  "go:rentals": "rentals",
  "go:wallets": "wallets",
  "go:machines": "machines",
  "go:settings": "settings",
};

export function menuAction(id: string): MenuAction {
  if (id === "refresh") return { kind: "refresh" };
  if (id === "help:shortcuts") return { kind: "help" };
  const route = routes[id];
  return route ? { kind: "route", route } : null;
}
