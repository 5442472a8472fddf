import { describe, expect, it } from "vitest";
import { SHORTCUTS, shortcutFor, showKeys } from "./shortcuts";

const press = (key: string, extra: Partial<KeyboardEvent> = {}, tagName = "BODY") =>
  shortcutFor({ key, ctrlKey: false, metaKey: false, altKey: false, target: { tagName, isContentEditable: false } as unknown as EventTarget, ...extra });

describe("shortcuts", () => {
  it("? opens the list and / the search, but not while typing or with a modifier", () => {
    expect(press("?")).toEqual({ kind: "help" });
    expect(press("/")).toEqual({ kind: "search" });
    expect(press("/", {}, "INPUT")).toBeNull();
    expect(press("?", { ctrlKey: true })).toBeNull();
    expect(press("x")).toBeNull();
  });
  it("shows Ctrl, or ⌘ on macOS", () => {
    expect(showKeys("Mod+R", false)).toBe("Ctrl+R");
    expect(showKeys("Mod+R", true)).toBe("⌘R");
    expect(showKeys("Esc", true)).toBe("Esc");
  });
  it("lists every menu accelerator of the Go and File menus", () => {
    const menu = SHORTCUTS.filter((s) => s.by === "menu").map((s) => s.keys);
    expect(menu).toEqual(["Mod+1", "Mod+2", "Mod+3", "Mod+4", "Mod+5", "Mod+,", "Mod+R"]);
  });
});
