import { describe, expect, it } from "vitest";
import { MAX_BACKOFF_MS, MAX_POLL_ERRORS, POLL_MS, TransferTracker, isDone, nextPollDelay, parseProgress, type ProgressReply, type TransferEntry } from "./transfers";

describe("progress parsing", () => {
  it("reads percentages", () => {
    expect(parseProgress("37%")).toBe(37);
    expect(parseProgress("0%")).toBe(0);
    expect(parseProgress("100%")).toBe(100);
    expect(parseProgress(" 99.5 % ")).toBe(99.5);
    expect(parseProgress("42")).toBe(42);
  });
  it("clamps and rejects junk", () => {
    expect(parseProgress("250%")).toBe(100);
    expect(parseProgress("")).toBeNull();
    expect(parseProgress("abc")).toBeNull();
    expect(parseProgress("-5%")).toBeNull();
    expect(parseProgress(null)).toBeNull();
    expect(parseProgress(undefined)).toBeNull();
  });
  it("detects done", () => {
    expect(isDone({ status: "done", progress: "100%" })).toBe(true);
    expect(isDone({ status: " Done ", progress: "100%" })).toBe(true);
    expect(isDone({ status: "downloading", progress: "100%" })).toBe(false);
    expect(isDone({ status: "uploading", progress: "37%" })).toBe(false);
  });
});

describe("polling schedule", () => {
  it("polls every second, backs off on errors, capped", () => {
    expect(POLL_MS).toBe(1000);
    expect(nextPollDelay(0)).toBe(1000);
    expect(nextPollDelay(1)).toBe(2000);
    expect(nextPollDelay(2)).toBe(4000);
    expect(nextPollDelay(50)).toBe(MAX_BACKOFF_MS);
  });
});

/** Fake timers + a scripted node. */
function rig(script: Record<string, (ProgressReply | Error)[]>) {
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let nextId = 1;
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const pending: (() => void)[] = [];
  let hold = false;
  const tr = new TransferTracker({
    progress: async (_m, _d, file) => {
      calls.push(file);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (hold) await new Promise<void>((r) => pending.push(r));
      inFlight -= 1;
      const q = script[file] ?? [];
      const r = q.length > 1 ? q.shift()! : q[0];
      if (!r) return { status: "done", progress: "100%" };
      if (r instanceof Error) throw r;
      return r;
    },
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.push({ fn, ms, id });
      return id;
    },
    clearTimer: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const flush = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  const fire = async () => {
    const t = timers.shift();
    if (!t) throw new Error("no timer");
    t.fn();
    await flush();
    return t.ms;
  };
  return {
    tr, timers, calls, fire, flush,
    get maxInFlight() { return maxInFlight; },
    holdCalls(v: boolean) { hold = v; },
    release: async () => { pending.splice(0).forEach((r) => r()); await flush(); },
  };
}

describe("transfer tracker", () => {
  it("polls a watched machine until done, then stops and tells the dialog", async () => {
    const r = rig({ "a.qcow2": [{ status: "downloading", progress: "10%" }, { status: "downloading", progress: "60%" }, { status: "done", progress: "100%" }] });
    const done: TransferEntry[] = [];
    const stop = r.tr.watch("m1", (e) => done.push(e));
    r.tr.add("m1", "download", "srv", "a.qcow2");
    await r.flush();
    expect(r.tr.get("m1", "download", "a.qcow2")?.percent).toBe(10);
    expect(r.tr.busy("m1", "a.qcow2")).toBe(true);
    expect(r.timers.map((t) => t.ms)).toEqual([1000]);
    await r.fire();
    expect(r.tr.get("m1", "download", "a.qcow2")?.percent).toBe(60);
    await r.fire();
    const e = r.tr.get("m1", "download", "a.qcow2")!;
    expect(e.state).toBe("done");
    expect(e.percent).toBe(100);
    expect(done.map((x) => x.file)).toEqual(["a.qcow2"]);
    expect(r.timers).toHaveLength(0); // nothing left to poll
    expect(r.tr.busy("m1", "a.qcow2")).toBe(false);
    stop();
  });

  it("does not poll while the dialog is closed, and resumes when reopened", async () => {
    const r = rig({ "a.qcow2": [{ status: "downloading", progress: "20%" }] });
    const stop = r.tr.watch("m1");
    r.tr.add("m1", "download", "srv", "a.qcow2");
    await r.flush();
    expect(r.calls).toHaveLength(1);
    stop();
    expect(r.timers).toHaveLength(0);
    expect(r.tr.isWatching("m1")).toBe(false);
    expect(r.tr.list("m1")).toHaveLength(1); // still listed
    r.tr.watch("m1");
    await r.flush();
    expect(r.calls).toHaveLength(2);
  });

  it("never has two calls in flight", async () => {
    const r = rig({ "a.qcow2": [{ status: "downloading", progress: "5%" }], "b.qcow2": [{ status: "uploading", progress: "5%" }] });
    r.holdCalls(true);
    r.tr.watch("m1");
    r.tr.add("m1", "download", "srv", "a.qcow2");
    r.tr.add("m1", "upload", "srv", "b.qcow2"); // arrives while a round is in flight
    await r.flush();
    expect(r.timers).toHaveLength(0); // next round is not scheduled before this one returns
    for (let i = 0; i < 5; i++) await r.release();
    expect(r.maxInFlight).toBe(1);
    expect(r.calls).toContain("b.qcow2");
    expect(r.timers).toHaveLength(1);
  });

  it("backs off on errors and gives up after several in a row", async () => {
    const r = rig({ "a.qcow2": [new Error("timeout")] });
    r.tr.watch("m1");
    r.tr.add("m1", "download", "srv", "a.qcow2");
    await r.flush();
    const delays: number[] = [];
    for (let i = 1; i < MAX_POLL_ERRORS; i++) delays.push(await r.fire());
    expect(delays).toEqual([2000, 4000, 8000, 10000].slice(0, MAX_POLL_ERRORS - 1));
    const e = r.tr.get("m1", "download", "a.qcow2")!;
    expect(e.state).toBe("failed");
    expect(e.error?.message).toBe("timeout");
    expect(r.timers).toHaveLength(0);
  });

  it("keeps stopped transfers listed until dismissed; active ones cannot be dismissed", async () => {
    const r = rig({ "a.qcow2": [{ status: "downloading", progress: "5%" }] });
    const seen: number[] = [];
    r.tr.subscribe((l) => seen.push(l.length));
    const e = r.tr.add("m1", "download", "srv", "a.qcow2");
    r.tr.dismiss(e.key);
    expect(r.tr.list()).toHaveLength(1);
    r.tr.markStopped(e.key);
    expect(r.tr.list()[0].state).toBe("stopped");
    r.tr.dismiss(e.key);
    expect(r.tr.list()).toHaveLength(0);
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(0);
    expect(r.calls).toHaveLength(0); // never watched → never polled
  });

  it("a reply arriving after Stop does not revive the transfer", async () => {
    const r = rig({ "a.qcow2": [{ status: "downloading", progress: "50%" }] });
    r.holdCalls(true);
    r.tr.watch("m1");
    const e = r.tr.add("m1", "download", "srv", "a.qcow2");
    await r.flush();
    r.tr.markStopped(e.key);
    await r.release();
    expect(r.tr.get("m1", "download", "a.qcow2")?.state).toBe("stopped");
    expect(r.timers).toHaveLength(0);
  });
});
