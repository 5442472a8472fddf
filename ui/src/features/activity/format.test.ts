import { describe, expect, it } from "vitest";
import type { Activity } from "../../lib/ipc";
import { durationText, etaText, openTarget, problemText, sortActivities, speedText } from "./format";

function act(p: Partial<Activity>): Activity {
  return {
    id: "a", kind: "vm_create", machine_id: "m", object: "t1", detail: null, state: "running",
    started_ms: 0, updated_ms: 0, ended_ms: null, percent: null, percent_per_min: null, eta_secs: null,
    total_bytes: null, status: "", problem: null, checks: 0, errors: 0, seen_transition: false, next_check_ms: 0,
    ...p,
  } as Activity;
}

describe("activity format", () => {
  it("says durations in minutes and hours", () => {
    expect(durationText(30)).toBe("less than a minute");
    expect(durationText(180)).toBe("3 min");
    expect(durationText(3900)).toBe("1 h 5 min");
    expect(durationText(7200)).toBe("2 h");
  });
  it("gives a speed in bytes when the size is known, else in percent per minute", () => {
    expect(speedText({ percent_per_min: 6, total_bytes: 10e9 })).toBe("10 MB/s");
    expect(speedText({ percent_per_min: 2.5, total_bytes: null })).toBe("2.5 %/min");
    expect(speedText({ percent_per_min: null, total_bytes: null })).toBeNull();
  });
  it("shows an ETA only while running", () => {
    expect(etaText({ eta_secs: 600, state: "running" })).toBe("about 10 min left");
    expect(etaText({ eta_secs: 20, state: "running" })).toBe("less than a minute left");
    expect(etaText({ eta_secs: 600, state: "done" })).toBeNull();
  });
  it("opens the VM, the machine's images or LANs, or the fleet after a delete", () => {
    expect(openTarget(act({ kind: "disk_add" }))).toEqual({ kind: "vm", machineId: "m", taskId: "t1" });
    expect(openTarget(act({ kind: "image_upload", object: "x.qcow2" }))).toEqual({ kind: "images", machineId: "m" });
    expect(openTarget(act({ kind: "lan_create" }))).toEqual({ kind: "lan", machineId: "m" });
    expect(openTarget(act({ kind: "vm_delete", state: "done" }))).toEqual({ kind: "fleet" });
  });
  it("lists running ones first, then the most recently ended", () => {
    const l = sortActivities([
      act({ id: "old", state: "done", ended_ms: 5 }),
      act({ id: "run", started_ms: 1 }),
      act({ id: "new", state: "failed", ended_ms: 9 }),
    ]);
    expect(l.map((a) => a.id)).toEqual(["run", "new", "old"]);
  });
  it("words problems from the catalogs: a read problem by its error key, the node's status verbatim", () => {
    expect(problemText(act({ problem: { kind: "vm_gone" }, state: "failed" }))).toBe("the VM is no longer on the machine");
    expect(problemText(act({ problem: { kind: "node_status", status: "start error" }, state: "failed" }))).toBe("the node reports “start error”");
    expect(problemText(act({ problem: { kind: "read", key: "missing_machine_x", params: {} } }))).toBe("Could not check; trying again: missing_machine_x");
    expect(problemText(act({}))).toBeNull();
  });
});
