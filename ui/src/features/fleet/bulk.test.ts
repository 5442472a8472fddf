import { describe, expect, it } from "vitest";
import { AppCallError, type AppError, type ErrorCode } from "../../lib/ipc";
import { canRun, runBulk, runLimited, summarize, type BulkAction, type BulkResult, type BulkTarget } from "./bulk";

const target = (taskId: string, status = "running", machineId = "m1"): BulkTarget => ({
  key: `${machineId}/${taskId}`,
  machineId,
  machineLabel: machineId.toUpperCase(),
  taskId,
  status,
});

const appErr = (code: ErrorCode, title = "T", message = "M"): AppError => ({ code, key: "internal", params: { detail: message }, title, message, hint: null, reply: null, fields: [] });

/** A promise resolved from outside. */
function deferred() {
  let resolve!: () => void;
  const p = new Promise<void>((r) => (resolve = r));
  return { p, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("canRun", () => {
  it("allows what the VM's status allows", () => {
    expect(canRun("start", "closed")).toBe(true);
    expect(canRun("start", "running")).toBe(false);
    expect(canRun("stop", "running")).toBe(true);
    expect(canRun("stop", "closed")).toBe(false);
    expect(canRun("restart", "running")).toBe(true);
    expect(canRun("restart", "creating")).toBe(false);
  });
  it("lets unknown statuses try", () => {
    for (const a of ["start", "stop", "restart"] as BulkAction[]) expect(canRun(a, "weird")).toBe(true);
  });
});

describe("runLimited", () => {
  it("never has more than `limit` calls in flight and runs every item once, in order", async () => {
    const started: number[] = [];
    const gates = Array.from({ length: 10 }, deferred);
    let inFlight = 0;
    let peak = 0;
    const done = runLimited([...gates.keys()], 4, async (i) => {
      started.push(i);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await gates[i].p;
      inFlight--;
    });
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const g of gates) g.resolve();
    await done;
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(4);
  });
  it("does nothing for no items, and copes with fewer items than the limit", async () => {
    let n = 0;
    await runLimited([], 4, async () => void n++);
    expect(n).toBe(0);
    await runLimited([1, 2], 4, async () => void n++);
    expect(n).toBe(2);
  });
});

describe("runBulk", () => {
  it("sends one request per VM and reports each result", async () => {
    const sent: string[] = [];
    const targets = [target("V1"), target("V2"), target("V3", "running", "m2")];
    const seen: BulkResult[] = [];
    const at: string[] = [];
    const out = await runBulk("stop", targets, async (a, t) => void sent.push(`${a}:${t.machineId}/${t.taskId}`), (r, i) => {
      seen.push(r);
      at.push(`${i}:${r.taskId}`);
    });
    expect(sent.sort()).toEqual(["stop:m1/V1", "stop:m1/V2", "stop:m2/V3"]);
    expect(out.map((r) => [r.taskId, r.state])).toEqual([["V1", "ok"], ["V2", "ok"], ["V3", "ok"]]);
    expect(out[2]).toMatchObject({ machineId: "m2", machineLabel: "M2", key: "m2/V3", error: null });
    // pending for each first, then the settled results
    expect(seen.slice(0, 3).map((r) => r.state)).toEqual(["pending", "pending", "pending"]);
    expect(seen.slice(3).map((r) => r.state)).toEqual(["ok", "ok", "ok"]);
    // each report carries the target's index
    expect(at.every((x) => ["0:V1", "1:V2", "2:V3"].includes(x))).toBe(true);
  });
  it("keeps going after a failure and keeps each VM's error", async () => {
    const out = await runBulk("restart", [target("V1"), target("V2"), target("V3")], async (_a, t) => {
      if (t.taskId === "V2") throw new AppCallError(appErr("wrong_state", "Not now", "the VM is busy"));
      if (t.taskId === "V3") throw appErr("timeout", "Too slow", "no answer");
    });
    expect(out.map((r) => r.state)).toEqual(["ok", "error", "error"]);
    expect(out[1].error).toMatchObject({ code: "wrong_state", title: "Not now", message: "the VM is busy" });
    expect(out[2].error).toMatchObject({ code: "timeout", title: "Too slow" });
    expect(summarize(out)).toEqual({ ok: 1, failed: 2, unknown: 0, skipped: 0, pending: 0 });
  });
  it("turns a thrown non-AppError into an internal error", async () => {
    const out = await runBulk("start", [target("V1", "closed")], async () => {
      throw new Error("ipc down");
    });
    expect(out[0].state).toBe("error");
    expect(out[0].error).toMatchObject({ code: "internal", message: "ipc down" });
  });
  it("says the outcome is unknown when the node may have done it", async () => {
    const out = await runBulk("start", [target("V1", "closed")], async () => {
      throw appErr("ambiguous_outcome");
    });
    expect(out[0].state).toBe("unknown");
    expect(summarize(out).unknown).toBe(1);
  });
  it("skips VMs whose status does not allow the action, without a request", async () => {
    const sent: string[] = [];
    const out = await runBulk("start", [target("V1", "running"), target("V2", "closed")], async (_a, t) => void sent.push(t.taskId));
    expect(sent).toEqual(["V2"]);
    expect(out.map((r) => r.state)).toEqual(["skipped", "ok"]);
    expect(out[0].status).toBe("running");
    expect(summarize(out)).toEqual({ ok: 1, failed: 0, unknown: 0, skipped: 1, pending: 0 });
  });
  it("runs at most four at a time by default", async () => {
    let inFlight = 0;
    let peak = 0;
    const targets = Array.from({ length: 12 }, (_, i) => target(`V${i}`));
    const out = await runBulk("stop", targets, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight--;
    });
    expect(peak).toBe(4);
    expect(out.every((r) => r.state === "ok")).toBe(true);
  });
  it("returns results in the targets' order even when they finish out of order", async () => {
    const out = await runBulk("stop", [target("Slow"), target("Fast")], async (_a, t) => {
      if (t.taskId === "Slow") await new Promise((r) => setTimeout(r, 20));
    });
    expect(out.map((r) => r.taskId)).toEqual(["Slow", "Fast"]);
  });
});
