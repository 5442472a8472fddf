import { describe, expect, it } from "vitest";
import type { Activity } from "../../lib/ipc";
import { activeFiles, newlyDone, transfersOf } from "./transfers";

function act(p: Partial<Activity>): Activity {
  return {
    id: "a", kind: "image_download", machine_id: "m", object: "x.qcow2", detail: "srv", state: "running",
    started_ms: 0, updated_ms: 0, ended_ms: null, percent: 0, percent_per_min: null, eta_secs: null,
    total_bytes: null, status: "", problem: null, checks: 0, errors: 0, seen_transition: false, next_check_ms: 0,
    ...p,
  } as Activity;
}

describe("image transfers from the activity centre", () => {
  const list = [
    act({ id: "d1", started_ms: 1, percent: 40 }),
    act({ id: "u1", kind: "image_upload", object: "y.qcow2", started_ms: 2, state: "stopped_checking" }),
    act({ id: "other", machine_id: "m2" }),
    act({ id: "vm", kind: "vm_create", object: "task" }),
  ];
  it("keeps this machine's transfers, newest first, with direction, server and state", () => {
    const rows = transfersOf(list, "m");
    expect(rows.map((r) => [r.key, r.direction, r.server, r.state, r.percent])).toEqual([
      ["u1", "upload", "srv", "unknown", 0],
      ["d1", "download", "srv", "active", 40],
    ]);
    expect([...activeFiles(rows)]).toEqual(["x.qcow2"]);
  });
  it("reports a transfer done once, and not one that was already done when first seen", () => {
    const seen = new Set<string>();
    expect(newlyDone(transfersOf([act({ id: "old", state: "done" }), act({ id: "d1" })], "m"), seen)).toEqual([]);
    const done = newlyDone(transfersOf([act({ id: "d1", state: "done", percent: 100 })], "m"), seen);
    expect(done.map((d) => d.key)).toEqual(["d1"]);
    expect(newlyDone(transfersOf([act({ id: "d1", state: "done" })], "m"), seen)).toEqual([]);
  });
  it("does not call a stopped transfer done", () => {
    const seen = new Set<string>(["d1"]);
    expect(newlyDone(transfersOf([act({ id: "d1", state: "stopped" })], "m"), seen)).toEqual([]);
  });
});
