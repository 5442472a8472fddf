import { describe, expect, it } from "vitest";
import { msToSeconds, prefsFromForm } from "./prefsForm";
import { clampLines } from "../vm/logs";

describe("prefs form", () => {
  it("converts seconds to ms", () => {
    expect(prefsFromForm(2, 15, "dark", "en", 15)).toEqual({ poll_fast_ms: 2000, poll_slow_ms: 15000, theme: "dark", language: "en", auto_lock_minutes: 15 });
    expect(msToSeconds(2500)).toBe(2.5);
  });
  it("leaves ranges to Rust but never sends NaN or negatives", () => {
    expect(prefsFromForm(0.1, 15, "system", "", Number.NaN)).toEqual({ poll_fast_ms: 100, poll_slow_ms: 15000, theme: "system", language: "en", auto_lock_minutes: 0 });
    expect(prefsFromForm(-1, 2.5, "system", "en", 4.6).poll_fast_ms).toBe(0);
    expect(prefsFromForm(-1, 2.5, "system", "en", 4.6).auto_lock_minutes).toBe(5);
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
