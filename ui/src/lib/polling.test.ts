import { describe, expect, it } from "vitest";
import { Poller, chooseInterval, followDelay } from "./polling";

describe("chooseInterval", () => {
  it("is fast while any VM is transitional", () => {
    expect(chooseInterval(["running", "creating"], 2000, 15000)).toBe(2000);
    expect(chooseInterval(["being poweroff"], 1000, 9000)).toBe(1000);
  });
  it("is slow when everything is stable", () => {
    expect(chooseInterval(["running", "closed", "create error"], 2000, 15000)).toBe(15000);
    expect(chooseInterval([], 2000, 15000)).toBe(15000);
  });
  it("is fast right after a user action", () => {
    expect(chooseInterval(["running"], 2000, 15000, true)).toBe(2000);
  });
  it("falls back to defaults on silly values and never makes slow < fast", () => {
    expect(chooseInterval(["creating"], 0, 15000)).toBe(2000);
    expect(chooseInterval(["running"], 5000, 1000)).toBe(5000);
    expect(chooseInterval(["running"], NaN, NaN)).toBe(15000);
  });
});

function fakeTimers() {
  const timers: { fn: () => void; ms: number }[] = [];
  return {
    timers,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms };
      timers.push(t);
      return t;
    },
    clearTimer: (h: unknown) => {
      const i = timers.indexOf(h as { fn: () => void; ms: number });
      if (i >= 0) timers.splice(i, 1);
    },
  };
}

describe("Poller", () => {
  it("never overlaps calls and schedules the next one after the tick", async () => {
    const ft = fakeTimers();
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    let release: () => void = () => {};
    const p = new Poller({
      tick: () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        return new Promise<void>((r) => (release = () => { running--; r(); }));
      },
      nextDelay: () => 1234,
      ...ft,
    });
    p.start();
    void p.now();
    void p.now();
    expect(calls).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    // one queued re-run, still not overlapping
    expect(calls).toBe(2);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(maxRunning).toBe(1);
    expect(ft.timers.length).toBe(1);
    expect(ft.timers[0].ms).toBe(1234);
    p.stop();
    expect(ft.timers.length).toBe(0);
  });

  it("pauses while hidden and resumes on visibility", async () => {
    const ft = fakeTimers();
    let hidden = true;
    let calls = 0;
    const p = new Poller({ tick: async () => { calls++; }, nextDelay: () => 100, isHidden: () => hidden, ...ft });
    p.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(0);
    expect(ft.timers.length).toBe(0);
    hidden = false;
    p.visibilityChanged();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(1);
    expect(ft.timers.length).toBe(1);
    hidden = true;
    p.visibilityChanged();
    expect(ft.timers.length).toBe(0);
    p.stop();
  });

  it("keeps polling after a failing tick", async () => {
    const ft = fakeTimers();
    const p = new Poller({ tick: async () => { throw new Error("boom"); }, nextDelay: () => 50, ...ft });
    p.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(ft.timers.length).toBe(1);
    p.stop();
  });
});

describe("following one long piece of work", () => {
  it("starts at 1 s, slows to 10 s, and gives up", () => {
    expect(followDelay(0)).toBe(1000);
    expect(followDelay(65_000)).toBe(3000);
    expect(followDelay(500_000)).toBe(10_000);
    expect(followDelay(600_000)).toBeNull();
    expect(followDelay(5_000, 4_000)).toBeNull();
  });
});
