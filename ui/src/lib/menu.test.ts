import { describe, expect, it } from "vitest";
import { menuAction } from "./menu";

describe("menu actions", () => {
  it("maps the backend's item ids", () => {
    expect(menuAction("refresh")).toEqual({ kind: "refresh" });
    expect(menuAction("go:settings")).toEqual({ kind: "route", route: "settings" });
    expect(menuAction("go:fleet")).toEqual({ kind: "route", route: "fleet" });
    expect(menuAction("go:activity")).toEqual({ kind: "route", route: "activity" });
    expect(menuAction("help:shortcuts")).toEqual({ kind: "help" });
    expect(menuAction("go:nowhere")).toBeNull();
    expect(menuAction("")).toBeNull();
  });
});
