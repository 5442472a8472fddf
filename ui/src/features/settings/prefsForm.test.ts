import { describe, expect, it } from "vitest";
import { msToSeconds, prefsFromForm } from "./prefsForm";
import { clampLines } from "../vm/logs";

const chain = { source: "auto" as const, url: "", warnHours: "24, 1" };
const chainPrefs = { chain_source: "auto", chain_url: "", warn_before_hours: [24, 1] };

describe("prefs form", () => {
  it("converts seconds to ms", () => {
    expect(prefsFromForm(2, 15, "dark", "en", 15, chain)).toEqual({ poll_fast_ms: 2000, poll_slow_ms: 15000, theme: "dark", language: "en", auto_lock_minutes: 15, ...chainPrefs });
    expect(msToSeconds(2500)).toBe(2.5);
  });
  it("leaves ranges to Rust but never sends NaN or negatives", () => {
    expect(prefsFromForm(0.1, 15, "system", "", Number.NaN, chain)).toEqual({ poll_fast_ms: 100, poll_slow_ms: 15000, theme: "system", language: "", auto_lock_minutes: 0, ...chainPrefs });
    expect(prefsFromForm(-1, 2.5, "system", "en", 4.6, chain).poll_fast_ms).toBe(0);
    expect(prefsFromForm(-1, 2.5, "system", "en", 4.6, chain).auto_lock_minutes).toBe(5);
  });
  it("sends the chain choice with a trimmed address", () => {
    const p = prefsFromForm(2, 15, "dark", "en", 15, { source: "custom", url: " wss://chain.example ", warnHours: "48,2" });
    expect(p.chain_source).toBe("custom");
    expect(p.chain_url).toBe("wss://chain.example");
    expect(p.warn_before_hours).toEqual([48, 2]);
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
