import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CHECK_DELAY_MS, LiveCheck, visibleErrors } from "./formCheck";
import type { FieldError, Form } from "./ipc";

const lan = (name: string): Form => ({ form: "lan", name, ip_cidr: "10.8.0.0/24" });
const err = (message: string): FieldError => ({ field: "network_name", rule: "format", message });

/** A fake `formCheck`: records calls; each reply is released by the test. */
function fakeCheck() {
  const calls: { form: Form; resolve: (r: FieldError[]) => void; reject: (e: unknown) => void }[] = [];
  const check = (form: Form) =>
    new Promise<FieldError[]>((resolve, reject) => {
      calls.push({ form, resolve, reject });
    });
  return { calls, check };
}

describe("LiveCheck", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits for a pause in typing and checks only the last values", async () => {
    const f = fakeCheck();
    const seen: FieldError[][] = [];
    const c = new LiveCheck((r) => seen.push(r), f.check);
    c.schedule(lan("a"));
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS - 1);
    c.schedule(lan("ab"));
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS - 1);
    expect(f.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.calls.map((x) => x.form)).toEqual([lan("ab")]);
    f.calls[0].resolve([err("short")]);
    await vi.runAllTimersAsync();
    expect(seen).toEqual([[err("short")]]);
  });

  it("ignores a stale reply that arrives after a newer one", async () => {
    const f = fakeCheck();
    const seen: FieldError[][] = [];
    const c = new LiveCheck((r) => seen.push(r), f.check);
    c.schedule(lan("ab"));
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    c.schedule(lan("teamnet1"));
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(f.calls).toHaveLength(2);
    f.calls[1].resolve([]); // the newer reply first…
    await vi.runAllTimersAsync();
    f.calls[0].resolve([err("short")]); // …then the old one: dropped
    await vi.runAllTimersAsync();
    expect(seen).toEqual([[]]);
  });

  it("now() checks at once, replaces a pending check and returns the reply", async () => {
    const f = fakeCheck();
    const seen: FieldError[][] = [];
    const c = new LiveCheck((r) => seen.push(r), f.check);
    c.schedule(lan("a"));
    const p = c.now(lan("abc"));
    expect(f.calls.map((x) => x.form)).toEqual([lan("abc")]);
    f.calls[0].resolve([err("short")]);
    expect(await p).toEqual([err("short")]);
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS * 2);
    expect(f.calls).toHaveLength(1); // the scheduled one never ran
    expect(seen).toEqual([[err("short")]]);
  });

  it("a failed check is null for the caller and clears the shown errors", async () => {
    const f = fakeCheck();
    const seen: FieldError[][] = [];
    const c = new LiveCheck((r) => seen.push(r), f.check);
    const p = c.now(lan("x"));
    f.calls[0].reject(new Error("ipc down"));
    expect(await p).toBeNull();
    expect(seen).toEqual([[]]);
  });

  it("cancel() drops a pending check and a reply on its way", async () => {
    const f = fakeCheck();
    const seen: FieldError[][] = [];
    const c = new LiveCheck((r) => seen.push(r), f.check);
    const p = c.now(lan("x"));
    c.schedule(lan("y"));
    c.cancel();
    f.calls[0].resolve([err("late")]);
    expect(await p).toEqual([err("late")]);
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS * 2);
    expect(f.calls).toHaveLength(1);
    expect(seen).toEqual([]);
  });
});

describe("visibleErrors", () => {
  const errors = { network_name: "too short", ip_cidr: "required" };
  it("shows only touched fields while typing", () => {
    expect(visibleErrors(errors, {}, false)).toEqual({});
    expect(visibleErrors(errors, { network_name: true }, false)).toEqual({ network_name: "too short" });
  });
  it("shows every field after a submit", () => {
    expect(visibleErrors(errors, {}, true)).toEqual(errors);
  });
});
