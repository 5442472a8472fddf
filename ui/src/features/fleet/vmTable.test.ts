import { describe, expect, it } from "vitest";
import type { TaskView } from "../../lib/ipc";
import {
  DEFAULT_SORT,
  EMPTY_QUERY,
  GPUS_UNKNOWN,
  buildRows,
  factsFromView,
  filterOptions,
  filterRows,
  pruneSelection,
  rowKey,
  selectedIn,
  selectionState,
  setAllVisible,
  sortRows,
  toggleKey,
  toggleSort,
  viewRows,
  type VmFacts,
  type VmQuery,
  type VmRow,
} from "./vmTable";
import { bigFleet, machine, task } from "./vmTable.fixture";

const fleet = [
  machine("a", "Alpha", [
    task("VmA1", "running", "Training box", "2024-05-03 09:00:00"),
    task("VmA2", "closed", "notebook", "2024-05-01 09:00:00"),
  ], "203.0.113.42"),
  machine("b", "beta", [
    task("VmB1", "Being  Shutdown", "render farm", "2024-05-02 09:00:00"),
    task("VmB10", "running", "", "2024-05-04 09:00:00"),
    task("VmB2", "running", "llama", "2024-05-04 09:00:00"),
  ], "198.51.100.17"),
  machine("c", "Gamma (offline)", [], null),
];
const facts: Record<string, VmFacts> = {
  [rowKey("a", "VmA1")]: { gpus: 2, ip: "203.0.113.42", ports: "SSH 20022 · VNC 5901" },
  [rowKey("b", "VmB1")]: { gpus: 0, ip: "10.0.0.9", ports: null },
  [rowKey("b", "VmB2")]: { gpus: 2, ip: null, ports: "SSH 22" },
};
const rows = buildRows(fleet, facts);
const ids = (rs: readonly VmRow[]) => rs.map((r) => r.taskId);
const q = (p: Partial<VmQuery>): VmQuery => ({ ...EMPTY_QUERY, ...p });

describe("buildRows", () => {
  it("has one row per VM of every machine, in machine order", () => {
    expect(ids(rows)).toEqual(["VmA1", "VmA2", "VmB1", "VmB10", "VmB2"]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(5);
  });
  it("takes machine label and IP from the machine, GPUs and ports from the facts", () => {
    const a1 = rows[0];
    expect(a1).toMatchObject({ key: "a/VmA1", machineId: "a", machineLabel: "Alpha", status: "running", desc: "Training box", created: "2024-05-03 09:00:00", ip: "203.0.113.42", gpus: 2, ports: "SSH 20022 · VNC 5901" });
    // no facts: the machine's IP, GPUs and ports unknown
    expect(rows[1]).toMatchObject({ ip: "203.0.113.42", gpus: null, ports: null });
    // the VM's own host wins over the machine's IP; a fact without host keeps the machine's
    expect(rows[2].ip).toBe("10.0.0.9");
    expect(rows[4].ip).toBe("198.51.100.17");
    expect(rows[2].gpus).toBe(0);
  });
  it("has no IP when the machine never sent its info", () => {
    const r = buildRows([machine("x", "X", [task("VmX")], null)]);
    expect(r[0].ip).toBeNull();
  });
  it("keeps VMs of different machines with the same id apart", () => {
    const r = buildRows([machine("x", "X", [task("Same")]), machine("y", "Y", [task("Same")])]);
    expect(r.map((x) => x.key)).toEqual(["x/Same", "y/Same"]);
  });
  it("is empty for an empty fleet", () => {
    expect(buildRows([])).toEqual([]);
  });
});

describe("factsFromView", () => {
  const view = (values: { field: string; shown: string }[], gpu_count = 4) =>
    ({ detail: { gpu_count }, connection: { values: values.map((v) => ({ ...v, problem: null })) } }) as unknown as TaskView;
  it("reads GPUs, host and the ports the node gave", () => {
    expect(factsFromView(view([
      { field: "ssh_ip", shown: "198.51.100.17" },
      { field: "ssh_port", shown: "20022" },
      { field: "vnc_port", shown: "5901" },
      { field: "user_name", shown: "ubuntu" },
    ]))).toEqual({ gpus: 4, ip: "198.51.100.17", ports: "SSH 20022 · VNC 5901" });
  });
  it("has no IP or ports when the node gave none (or a zero port)", () => {
    expect(factsFromView(view([{ field: "rdp_port", shown: "0" }], 0))).toEqual({ gpus: 0, ip: null, ports: null });
  });
  it("keeps an RDP port", () => {
    expect(factsFromView(view([{ field: "ssh_ip", shown: "h" }, { field: "rdp_port", shown: "33389" }])).ports).toBe("RDP 33389");
  });
});

describe("filterRows", () => {
  it("returns everything for the empty query, as a new array", () => {
    const r = filterRows(rows, EMPTY_QUERY);
    expect(ids(r)).toEqual(ids(rows));
    expect(r).not.toBe(rows);
  });
  it("searches id, description, machine label and IP, case-insensitively", () => {
    expect(ids(filterRows(rows, q({ search: "vmb1" })))).toEqual(["VmB1", "VmB10"]);
    expect(ids(filterRows(rows, q({ search: "TRAINING" })))).toEqual(["VmA1"]);
    expect(ids(filterRows(rows, q({ search: "alpha" })))).toEqual(["VmA1", "VmA2"]);
    expect(ids(filterRows(rows, q({ search: "10.0.0" })))).toEqual(["VmB1"]);
    expect(ids(filterRows(rows, q({ search: "198.51" })))).toEqual(["VmB10", "VmB2"]);
  });
  it("needs every word of the search (in any field)", () => {
    expect(ids(filterRows(rows, q({ search: "  beta   llama " })))).toEqual(["VmB2"]);
    expect(ids(filterRows(rows, q({ search: "alpha llama" })))).toEqual([]);
  });
  it("does not search the status or the ports", () => {
    expect(filterRows(rows, q({ search: "running" }))).toEqual([]);
    expect(filterRows(rows, q({ search: "20022" }))).toEqual([]);
  });
  it("filters by status, compared normalised", () => {
    expect(ids(filterRows(rows, q({ status: "running" })))).toEqual(["VmA1", "VmB10", "VmB2"]);
    expect(ids(filterRows(rows, q({ status: "being shutdown" })))).toEqual(["VmB1"]);
    expect(ids(filterRows(rows, q({ status: "Being Shutdown " })))).toEqual(["VmB1"]);
    expect(filterRows(rows, q({ status: "deleting" }))).toEqual([]);
  });
  it("filters by machine", () => {
    expect(ids(filterRows(rows, q({ machine: "b" })))).toEqual(["VmB1", "VmB10", "VmB2"]);
    expect(filterRows(rows, q({ machine: "c" }))).toEqual([]);
  });
  it("filters by GPU count, including zero and unknown", () => {
    expect(ids(filterRows(rows, q({ gpus: "2" })))).toEqual(["VmA1", "VmB2"]);
    expect(ids(filterRows(rows, q({ gpus: "0" })))).toEqual(["VmB1"]);
    expect(ids(filterRows(rows, q({ gpus: GPUS_UNKNOWN })))).toEqual(["VmA2", "VmB10"]);
    expect(filterRows(rows, q({ gpus: "8" }))).toEqual([]);
  });
  it("combines all filters", () => {
    expect(ids(filterRows(rows, q({ machine: "b", status: "running", gpus: "2", search: "llama" })))).toEqual(["VmB2"]);
    expect(filterRows(rows, q({ machine: "a", status: "running", gpus: "2", search: "llama" }))).toEqual([]);
  });
});

describe("sortRows", () => {
  it("sorts by VM id with numbers in natural order, both ways", () => {
    expect(ids(sortRows(rows, { key: "task", dir: "asc" }))).toEqual(["VmA1", "VmA2", "VmB1", "VmB2", "VmB10"]);
    expect(ids(sortRows(rows, { key: "task", dir: "desc" }))).toEqual(["VmB10", "VmB2", "VmB1", "VmA2", "VmA1"]);
  });
  it("sorts by machine label ignoring case, ties by VM id", () => {
    expect(ids(sortRows(rows, { key: "machine", dir: "asc" }))).toEqual(["VmA1", "VmA2", "VmB1", "VmB2", "VmB10"]);
    expect(ids(sortRows(rows, { key: "machine", dir: "desc" }))).toEqual(["VmB1", "VmB2", "VmB10", "VmA1", "VmA2"]);
  });
  it("sorts by created time; equal times fall back to machine then id", () => {
    expect(ids(sortRows(rows, { key: "created", dir: "asc" }))).toEqual(["VmA2", "VmB1", "VmA1", "VmB2", "VmB10"]);
    expect(ids(sortRows(rows, DEFAULT_SORT))).toEqual(["VmB2", "VmB10", "VmA1", "VmB1", "VmA2"]);
  });
  it("sorts by status", () => {
    expect(sortRows(rows, { key: "status", dir: "asc" }).map((r) => r.status)).toEqual(["Being  Shutdown", "closed", "running", "running", "running"]);
  });
  it("sorts GPUs numerically and puts unknown ones last in both directions", () => {
    expect(sortRows(rows, { key: "gpus", dir: "asc" }).map((r) => r.gpus)).toEqual([0, 2, 2, null, null]);
    expect(sortRows(rows, { key: "gpus", dir: "desc" }).map((r) => r.gpus)).toEqual([2, 2, 0, null, null]);
    expect(ids(sortRows(rows, { key: "gpus", dir: "asc" }))).toEqual(["VmB1", "VmA1", "VmB2", "VmA2", "VmB10"]);
  });
  it("sorts IPs naturally and puts missing ones last", () => {
    const r = buildRows([machine("n", "N", [task("V1")], null), machine("x", "X", [task("V2")], "10.0.0.10"), machine("y", "Y", [task("V3")], "10.0.0.9")]);
    expect(ids(sortRows(r, { key: "ip", dir: "asc" }))).toEqual(["V3", "V2", "V1"]);
    expect(ids(sortRows(r, { key: "ip", dir: "desc" }))).toEqual(["V2", "V3", "V1"]);
  });
  it("does not change its input", () => {
    const before = ids(rows);
    sortRows(rows, { key: "task", dir: "desc" });
    expect(ids(rows)).toEqual(before);
  });
});

describe("viewRows and toggleSort", () => {
  it("filters then sorts", () => {
    expect(ids(viewRows(rows, q({ status: "running" }), { key: "task", dir: "desc" }))).toEqual(["VmB10", "VmB2", "VmA1"]);
  });
  it("flips the direction on the same column, starts ascending on another", () => {
    expect(toggleSort({ key: "task", dir: "asc" }, "task")).toEqual({ key: "task", dir: "desc" });
    expect(toggleSort({ key: "task", dir: "desc" }, "task")).toEqual({ key: "task", dir: "asc" });
    expect(toggleSort({ key: "task", dir: "desc" }, "gpus")).toEqual({ key: "gpus", dir: "asc" });
  });
  it("handles a thousand VMs over fifty machines", () => {
    const big = buildRows(bigFleet(50, 20));
    expect(big).toHaveLength(1000);
    const r = viewRows(big, q({ search: "gpu-node-07", status: "running" }), { key: "task", dir: "asc" });
    expect(r.length).toBeGreaterThan(0);
    expect(r.every((x) => x.machineLabel === "gpu-node-07" && x.status === "running")).toBe(true);
    expect(ids(r)).toEqual([...ids(r)].sort());
  });
});

describe("filterOptions", () => {
  it("offers the statuses, machines and GPU counts present", () => {
    const o = filterOptions(rows, fleet);
    expect(o.statuses).toEqual(["being shutdown", "closed", "running"]);
    expect(o.machines).toEqual([
      { id: "a", label: "Alpha" },
      { id: "b", label: "beta" },
      { id: "c", label: "Gamma (offline)" },
    ]);
    expect(o.gpus).toEqual([0, 2]);
    expect(o.gpusUnknown).toBe(true);
  });
  it("says when every GPU count is known", () => {
    const o = filterOptions(rows.filter((r) => r.gpus !== null));
    expect(o.gpusUnknown).toBe(false);
    expect(o.machines.map((m) => m.id)).toEqual(["a", "b"]);
  });
});

describe("selection", () => {
  const running = filterRows(rows, q({ status: "running" }));
  it("selects and clears all shown rows, leaving hidden ones alone", () => {
    const s = setAllVisible(new Set(["a/VmA2"]), running, true);
    expect([...s].sort()).toEqual(["a/VmA1", "a/VmA2", "b/VmB10", "b/VmB2"]);
    expect(selectionState(s, running)).toBe("all");
    const cleared = setAllVisible(s, running, false);
    expect([...cleared]).toEqual(["a/VmA2"]);
    expect(selectionState(cleared, running)).toBe("none");
  });
  it("acts only on selected rows that are shown", () => {
    const s = new Set(["a/VmA2", "b/VmB2"]);
    expect(ids(selectedIn(s, running))).toEqual(["VmB2"]);
    expect(selectionState(s, running)).toBe("some");
  });
  it("toggles one key without touching the original set", () => {
    const s = new Set<string>();
    const one = toggleKey(s, "a/VmA1");
    expect([...one]).toEqual(["a/VmA1"]);
    expect(s.size).toBe(0);
    expect(toggleKey(one, "a/VmA1").size).toBe(0);
  });
  it("says none for an empty table", () => {
    expect(selectionState(new Set(["a/VmA1"]), [])).toBe("none");
  });
  it("forgets VMs that are gone", () => {
    expect([...pruneSelection(new Set(["a/VmA1", "z/Gone"]), rows)]).toEqual(["a/VmA1"]);
  });
});
