import { describe, expect, it } from "vitest";
import { countdown, localEnd, parseHours, secondsLeft } from "./format";

describe("rental countdowns", () => {
  it("counts down from the end instant and stops at zero", () => {
    expect(secondsLeft(10_000, 4_500)).toBe(5);
    expect(secondsLeft(10_000, 12_000)).toBe(0);
  });
  it("writes days, then hh:mm:ss", () => {
    expect(countdown(59)).toBe("00:00:59");
    expect(countdown(3600 + 62)).toBe("01:01:02");
    expect(countdown(2 * 86_400 + 5)).toBe("2 d 00:00:05");
    expect(countdown(-3)).toBe("00:00:00");
  });
  it("writes the end in the given locale", () => {
    const at = Date.UTC(2026, 11, 24, 18, 30);
    expect(localEnd(at)).toMatch(/2026/);
  });
  it("reads warning hours without judging them", () => {
    expect(parseHours("24, 1")).toEqual([24, 1]);
    expect(parseHours(" 48 ,12 ")).toEqual([48, 12]);
    expect(parseHours("x")).toEqual([0]);
    expect(parseHours("")).toEqual([]);
  });
});
