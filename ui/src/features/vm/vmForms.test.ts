import { describe, expect, it } from "vitest";
import type { TaskDetail } from "../../lib/ipc";
import { fieldErrors, unplacedErrors } from "../../lib/errors";
import {
  GROW_FIELD_MAP,
  SETTINGS_FIELDS,
  isPartialRent,
  anySnapshotBusy,
  appliesAtNextBoot,
  canDeleteDisk,
  diskAddForm,
  diskResizeForm,
  disksKey,
  isEmptyChange,
  memGb,
  modifyChanges,
  modifyReplyText,
  passwdForm,
  passwordsMatch,
  pollUntil,
  settingsFieldMap,
  settingsFromDetail,
  snapshotForm,
  snapshotPhase,
} from "./vmForms";

const detail: TaskDetail = {
  task_id: "vm1", os: "ubuntu", ssh_ip: "1.2.3.4", ssh_port: "20022", rdp_port: null, user_name: "dbc",
  login_password: "x", cpu_cores: 4, gpu_count: 2, mem_size: "8G", disk_system: "50G", vnc_port: "5901",
  vnc_password: "y", network_name: null, create_time: "", desc: "", status: "running", rent_order: null,
  local_address: [], disks: [], network_filters: ["in,tcp,22,0.0.0.0/0,accept"], interface: [],
};

describe("settings diff", () => {
  it("starts from the VM's values and sends nothing when untouched", () => {
    const b = settingsFromDetail(detail);
    expect(b.ssh_port).toBe("20022");
    expect(b.rdp_port).toBe("");
    expect(b.mem_size).toBe("8");
    expect(b.gpu_count).toBe("2");
    expect(b.network_filters).toBe("in,tcp,22,0.0.0.0/0,accept");
    const c = modifyChanges(b, { ...b });
    expect(isEmptyChange(c)).toBe(true);
    expect(c.new_custom_port).toBeNull();
    expect(c.new_network_filters).toBeNull();
  });
  it("sends only the changed fields", () => {
    const b = settingsFromDetail(detail);
    const c = modifyChanges(b, { ...b, ssh_port: " 20100 ", cpu_cores: "4", vnc_port: "5999" });
    expect(c.new_ssh_port).toBe("20100");
    expect(c.new_vnc_port).toBe("5999");
    expect(c.new_cpu_cores).toBe("");
    expect(c.new_gpu_count).toBe("");
    expect(c.new_public_ip).toBe("");
    expect(appliesAtNextBoot(c)).toBe(true);
    expect(appliesAtNextBoot(modifyChanges(b, { ...b, ssh_port: "1" }))).toBe(false);
  });
  it("starts from the public IP DBC Desk sent last and sends it only when changed", () => {
    const b = settingsFromDetail(detail, [], "203.0.113.7");
    expect(b.public_ip).toBe("203.0.113.7");
    expect(modifyChanges(b, { ...b }).new_public_ip).toBe("");
    expect(modifyChanges(b, { ...b, public_ip: "203.0.113.8" }).new_public_ip).toBe("203.0.113.8");
  });
  it("clearing a field means unchanged, not empty", () => {
    const b = settingsFromDetail(detail);
    expect(isEmptyChange(modifyChanges(b, { ...b, ssh_port: "", gpu_count: "  " }))).toBe(true);
  });
  it("lists: custom ports only when given, firewall also when cleared", () => {
    const b = settingsFromDetail(detail);
    expect(modifyChanges(b, { ...b, custom_port: "tcp,8080\n\n udp,7000-7010 " }).new_custom_port).toEqual(["tcp,8080", "udp,7000-7010"]);
    // the remembered forwards are the starting point; emptied, all are removed
    const r = settingsFromDetail(detail, ["tcp,8080", "udp,7000"]);
    expect(r.custom_port).toBe("tcp,8080\nudp,7000");
    expect(modifyChanges(r, { ...r }).new_custom_port).toBeNull();
    expect(modifyChanges(r, { ...r, custom_port: "" }).new_custom_port).toEqual([]);
    expect(modifyChanges(r, { ...r, custom_port: "tcp,8080" }).new_custom_port).toEqual(["tcp,8080"]);
    expect(modifyChanges(b, { ...b, network_filters: "" }).new_network_filters).toEqual([]);
    expect(modifyChanges(b, { ...b, network_filters: " in,tcp,22,0.0.0.0/0,accept \n" }).new_network_filters).toBeNull();
    expect(modifyChanges(b, { ...b, network_filters: "in,tcp,22,0.0.0.0/0,drop" }).new_network_filters).toEqual(["in,tcp,22,0.0.0.0/0,drop"]);
  });
  it("reads memory in GB only", () => {
    expect(memGb("16G")).toBe("16");
    expect(memGb("16 GB")).toBe("16");
    expect(memGb("16")).toBe("16");
    expect(memGb("512M")).toBe("");
    expect(memGb(undefined)).toBe("");
    expect(settingsFromDetail(null).cpu_cores).toBe("");
  });
  it("node replies", () => {
    expect(modifyReplyText("ok")).toBe("Saved");
    expect(modifyReplyText("OK")).toBe("Saved");
    expect(modifyReplyText("")).toBe("Saved");
    expect(modifyReplyText("some changes will take effect on the next boot")).toBe("some changes will take effect on the next boot");
  });
});

describe("settings: where Rust's field errors show", () => {
  const b = settingsFromDetail(detail);
  it("a forward or firewall entry names the line of its textarea", () => {
    const f = { ...b, custom_port: "tcp,22\n\ntcp/udp,123", network_filters: "in,tcp,22,0.0.0.0/0,accept\nin,tcp,22,0.0.0.0/0" };
    const c = modifyChanges(b, f);
    expect(c.new_custom_port).toEqual(["tcp,22", "tcp/udp,123"]);
    const e = fieldErrors(
      [
        { field: "new_custom_port[1]", rule: "protocol", message: "one line per protocol" },
        { field: "new_network_filters[1]", rule: "format", message: "direction,protocol,port,cidr,action" },
        { field: "new_ssh_port", rule: "range", message: "must be between 1 and 65535" },
      ],
      settingsFieldMap(f),
    );
    expect(e).toEqual({
      new_custom_port: "line 3: one line per protocol",
      new_network_filters: "line 2: direction,protocol,port,cidr,action",
      new_ssh_port: "must be between 1 and 65535",
    });
    expect(unplacedErrors(e, SETTINGS_FIELDS)).toEqual([]);
  });
  it("'nothing to change' has its own place; unknown fields are listed", () => {
    const e = fieldErrors([{ field: "modify", rule: "empty", message: "nothing to change" }, { field: "task_id", rule: "format", message: "bad" }]);
    expect(unplacedErrors(e, SETTINGS_FIELDS)).toEqual(["task_id: bad"]);
  });
});

describe("password", () => {
  it("the two passwords must match (the UI's own check)", () => {
    expect(passwordsMatch("s3cret!", "s3cret!")).toEqual({});
    expect(passwordsMatch("a", "b").password2).toMatch(/different/);
    expect(passwordsMatch("a", "").password2).toBeTruthy();
  });
  it("sends the user name trimmed and the password as typed", () => {
    expect(passwdForm(" dbc ", " pw ")).toEqual({ form: "passwd", username: "dbc", password: " pw " });
  });
});

describe("disks", () => {
  it("sizes go as typed (Rust judges them); the mount folder is trimmed", () => {
    expect(diskAddForm(" 5.5 ", " /data ")).toEqual({ form: "disk_add", size_gb: " 5.5 ", mount_dir: "/data" });
    expect(diskAddForm("10", "")).toEqual({ form: "disk_add", size_gb: "10", mount_dir: "" });
    expect(diskResizeForm("vdb", "0")).toEqual({ form: "disk_resize", disk: "vdb", add_gb: "0" });
  });
  it("the grow form shows the amount's error (wire `size`) at its own input", () => {
    expect(fieldErrors([{ field: "size", rule: "range", message: "must be between 1 and 4294967295" }, { field: "disk", rule: "format", message: "vdb" }], GROW_FIELD_MAP)).toEqual({
      grow_size: "must be between 1 and 4294967295",
      disk: "vdb",
    });
  });
  it("vda cannot be deleted", () => {
    expect(canDeleteDisk("vda")).toBe(false);
    expect(canDeleteDisk("vdb")).toBe(true);
  });
  it("list key ignores order and notices size changes", () => {
    const a = { name: "vda", size: "50G", file: "/a" };
    const b = { name: "vdb", size: "10G", file: "/b" };
    expect(disksKey([a, b])).toBe(disksKey([b, a]));
    expect(disksKey([a, b])).not.toBe(disksKey([a, { ...b, size: "20G" }]));
    expect(disksKey([a])).not.toBe(disksKey([a, b]));
  });
});

describe("snapshots", () => {
  it("sends the name trimmed, the rest as typed", () => {
    expect(snapshotForm({ name: " snap-1 ", desc: " before upgrade ", image_server: "img1" })).toEqual({
      form: "snapshot",
      name: "snap-1",
      desc: " before upgrade ",
      image_server: "img1",
    });
  });
  it("status phases", () => {
    expect(snapshotPhase("creating")).toBe("creating");
    expect(snapshotPhase("uploading")).toBe("uploading");
    expect(snapshotPhase("none")).toBe("done");
    expect(snapshotPhase("weird")).toBe("other");
    expect(anySnapshotBusy([{ status: "none" }, { status: "uploading" }])).toBe(true);
    expect(anySnapshotBusy([{ status: "none" }])).toBe(false);
    expect(anySnapshotBusy([])).toBe(false);
  });
});

describe("pollUntil", () => {
  function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => { t += ms; } };
  }
  it("stops as soon as the condition holds", async () => {
    const c = clock();
    let n = 0;
    const r = await pollUntil(async () => ++n, (v) => v === 3, { intervalMs: 1000, timeoutMs: 60_000, ...c });
    expect(r).toEqual({ value: 3, done: true });
    expect(c.now()).toBe(2000);
  });
  it("gives up after the timeout", async () => {
    const c = clock();
    let n = 0;
    const r = await pollUntil(async () => ++n, () => false, { intervalMs: 1000, timeoutMs: 5000, ...c });
    expect(r.done).toBe(false);
    expect(n).toBe(6);
    expect(c.now()).toBeLessThanOrEqual(5000);
  });
  it("can be cancelled and rethrows fetch errors", async () => {
    const c = clock();
    const r = await pollUntil(async () => 1, () => false, { ...c, cancelled: () => true });
    expect(r).toEqual({ value: null, done: false });
    await expect(pollUntil(async () => { throw new Error("boom"); }, () => true, c)).rejects.toThrow("boom");
  });
});

describe("partial rent orders", () => {
  const info = {
    version: "", node_type: "", ip: "", os: "",
    cpu: { type: "", hz: "", cores: 32, used_usage: "", physical_cpus: 1 },
    gpu: { gpu_count: 4, gpu_used: 0 },
    mem: { size: "", free: "", used_usage: "" },
    disk_system: { type: "", size: "" },
    disk_data: [],
    images: [],
  };
  const order = { id: "1002", renter: "5Dy8", rent_end: "9", rent_status: "renting", gpu_nums: 2, gpu_index: [0, 1] };
  it("is partial when the order has fewer GPUs than the machine", () => {
    expect(isPartialRent(info, order)).toBe(true);
    expect(isPartialRent(info, { ...order, gpu_nums: 4 })).toBe(false);
    expect(isPartialRent(info, null)).toBe(false);
    expect(isPartialRent(null, order)).toBe(false);
  });
});
