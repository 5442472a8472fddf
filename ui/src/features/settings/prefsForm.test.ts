import { describe, expect, it } from "vitest";
import { msToSeconds, prefsFromForm } from "./prefsForm";
import { clampLines } from "../vm/logs";

describe("prefs form", () => {
  it("converts seconds to ms", () => {
    expect(prefsFromForm(2, 15, "dark", "en")).toEqual({ poll_fast_ms: 2000, poll_slow_ms: 15000, theme: "dark", language: "en" });
    expect(msToSeconds(2500)).toBe(2.5);
  });
  it("rejects nonsense", () => {
    expect(typeof prefsFromForm(0.1, 15, "system", "en")).toBe("string");
    expect(typeof prefsFromForm(5, 2, "system", "en")).toBe("string");
  });
});

describe("log lines", () => {
  it("clamps to 1..100", () => {
    expect(clampLines(0)).toBe(1);
    expect(clampLines(500)).toBe(100);
    expect(clampLines("20")).toBe(20);
    expect(clampLines("x")).toBe(50);
  });
});
