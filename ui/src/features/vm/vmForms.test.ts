import { describe, expect, it } from "vitest";
import type { TaskDetail } from "../../lib/ipc";
import {
  isPartialRent,
  anySnapshotBusy,
  appliesAtNextBoot,
  canDeleteDisk,
  disksKey,
  freeTextError,
  isEmptyChange,
  isIpv4,
  linesError,
  memGb,
  modifyChanges,
  modifyReplyText,
  networkFilterError,
  pollUntil,
  portForwardError,
  settingsFromDetail,
  snapshotPhase,
  validateDiskAdd,
  validateGrow,
  validateModify,
  validatePasswd,
  validateSnapshot,
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
  it("clearing a field means unchanged, not empty", () => {
    const b = settingsFromDetail(detail);
    expect(isEmptyChange(modifyChanges(b, { ...b, ssh_port: "", gpu_count: "  " }))).toBe(true);
  });
  it("lists: custom ports only when given, firewall also when cleared", () => {
    const b = settingsFromDetail(detail);
    expect(modifyChanges(b, { ...b, custom_port: "tcp,8080\n\n udp,7000-7010 " }).new_custom_port).toEqual(["tcp,8080", "udp,7000-7010"]);
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

describe("modify validation", () => {
  const b = settingsFromDetail(detail);
  it("accepts good changes", () => {
    expect(validateModify(modifyChanges(b, { ...b, ssh_port: "20100", public_ip: "203.0.113.7", custom_port: "tcp,80:8080", network_filters: "out,all,all,0.0.0.0/0,accept" }))).toEqual({});
  });
  it("VNC port must be 5900–65535", () => {
    expect(validateModify(modifyChanges(b, { ...b, vnc_port: "80" })).new_vnc_port).toMatch(/5900/);
    expect(validateModify(modifyChanges(b, { ...b, vnc_port: "65536" })).new_vnc_port).toMatch(/65535/);
  });
  it("ports, numbers and IP", () => {
    const e = validateModify(modifyChanges(b, { ...b, ssh_port: "0", cpu_cores: "x", public_ip: "1.2.3", mem_size: "0" }));
    expect(e.new_ssh_port).toMatch(/between 1 and 65535/);
    expect(e.new_cpu_cores).toMatch(/number/);
    expect(e.new_public_ip).toMatch(/IPv4/);
    expect(e.new_mem_size).toBeTruthy();
    expect(validateModify(modifyChanges(b, { ...b, ssh_port: "3389", rdp_port: "3389" })).new_rdp_port).toMatch(/differ/);
  });
  it("rejects tcp/udp with one line per protocol", () => {
    const e = validateModify(modifyChanges(b, { ...b, custom_port: "tcp,22\ntcp/udp,123" }));
    expect(e.new_custom_port).toMatch(/line 2/);
    expect(e.new_custom_port).toMatch(/one line per protocol/);
    expect(e.new_custom_port).toMatch(/tcp,123 and udp,123/);
  });
  it("rejects a bad firewall rule", () => {
    expect(validateModify(modifyChanges(b, { ...b, network_filters: "in,tcp,22,0.0.0.0/0" })).new_network_filters).toMatch(/direction,protocol/);
  });
  it("IPv4 parsing", () => {
    expect(isIpv4("203.0.113.7")).toBe(true);
    expect(isIpv4("256.0.0.1")).toBe(false);
    expect(isIpv4("01.2.3.4")).toBe(false);
  });
});

describe("line grammars", () => {
  it("port forwards", () => {
    for (const ok of ["tcp,8080", "udp,7000:7001", "tcp,7000-7010", "tcp,7000-7010:8000-8010", "tcp,80:8080"]) {
      expect(portForwardError(ok), ok).toBeNull();
    }
    for (const bad of ["icmp,1", "tcp", "tcp,", "tcp,0", "tcp,70000", "tcp,10-5", "tcp,1-5:7", "tcp,a:b", "8080:80/tcp"]) {
      expect(portForwardError(bad), bad).not.toBeNull();
    }
    expect(portForwardError("tcp/udp,123")).toMatch(/one line per protocol/);
  });
  it("firewall rules", () => {
    for (const ok of ["in,tcp,22,0.0.0.0/0,accept", "out,all,all,0.0.0.0/0,accept", "in,udp,7000-7010,10.0.0.0/8,drop"]) {
      expect(networkFilterError(ok), ok).toBeNull();
    }
    for (const bad of ["in,tcp,22,0.0.0.0/0", "sideways,tcp,22,0.0.0.0/0,accept", "in,tcp,22,nonsense,accept", "in,tcp,22,192.168.122.0/24,accept", "in,tcp,99999,0.0.0.0/0,accept"]) {
      expect(networkFilterError(bad), bad).not.toBeNull();
    }
  });
  it("names the first bad line only when there are several", () => {
    expect(linesError("tcp,1\n\ntcp,2", portForwardError)).toBeNull();
    expect(linesError("udp", portForwardError)).not.toMatch(/line/);
    expect(linesError("tcp,1\nudp", portForwardError)).toMatch(/^line 2 \(udp\)/);
  });
  it("free text", () => {
    expect(freeTextError("my snapshot ü", 100)).toBeNull();
    expect(freeTextError('say "hi"', 100)).toMatch(/"/);
    expect(freeTextError("a\\b", 100)).toMatch(/\\/);
    expect(freeTextError("a\tb", 100)).toMatch(/control/);
    expect(freeTextError("xxx", 2)).toMatch(/at most 2/);
  });
});

describe("password", () => {
  it("needs a user and the same password twice", () => {
    expect(validatePasswd("dbc", "s3cret!", "s3cret!")).toEqual({});
    expect(validatePasswd("", "a", "a").username).toBeTruthy();
    expect(validatePasswd("dbc", "", "").password).toBeTruthy();
    expect(validatePasswd("dbc", "a", "b").password2).toMatch(/different/);
    expect(validatePasswd("dbc", 'a"b', 'a"b').password).toMatch(/"/);
  });
});

describe("disks", () => {
  it("add: size ≥ 1 GB, absolute mount dir (default /data)", () => {
    expect(validateDiskAdd("50", "")).toEqual({});
    expect(validateDiskAdd("50", "/data")).toEqual({});
    expect(validateDiskAdd("0", "/data").size).toMatch(/at least 1 GB/);
    expect(validateDiskAdd("5.5", "/data").size).toMatch(/whole number/);
    expect(validateDiskAdd("", "/data").size).toMatch(/required/);
    expect(validateDiskAdd("99999999999", "/data").size).toMatch(/too large/);
    expect(validateDiskAdd("10", "data").mount_dir).toMatch(/absolute/);
  });
  it("grow: an amount to add, on a vdX disk", () => {
    expect(validateGrow("vdb", "10")).toEqual({});
    expect(validateGrow("vdb", "0").size).toMatch(/amount to add must be at least 1 GB/);
    expect(validateGrow("sda", "10").disk).toMatch(/vdb/);
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
  it("validates name, description and server", () => {
    expect(validateSnapshot({ name: "snap-1.v2_a", desc: "before upgrade", image_server: "img1" })).toEqual({});
    const e = validateSnapshot({ name: "bad name", desc: 'x"y', image_server: "" });
    expect(e.snapshot_name).toMatch(/letters, digits/);
    expect(e.desc).toMatch(/"/);
    expect(e.image_server).toBeTruthy();
    expect(validateSnapshot({ name: "", desc: "", image_server: "s" }).snapshot_name).toMatch(/required/);
    expect(validateSnapshot({ name: "a/b", desc: "a\\b", image_server: "s" }).desc).toBeTruthy();
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
