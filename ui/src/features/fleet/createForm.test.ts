import { describe, expect, it } from "vitest";
import { ADVANCED_FIELDS, CREATE_FIELDS, createFieldMap, defaultForm, osForImage, lines, suggestedGpus, toCreateTask, withOs } from "./createForm";
import { fieldErrors, unplacedErrors } from "../../lib/errors";
import type { MachineInfo, RentOrder } from "../../lib/ipc";

const info: MachineInfo = {
  version: "0.4", node_type: "gpu", ip: "1.2.3.4", os: "Ubuntu",
  cpu: { type: "EPYC", hz: "2.0GHz", cores: 32, used_usage: "1%", physical_cpus: 2 },
  gpu: { gpu_count: 4, gpu_used: 1 },
  mem: { size: "256G", free: "200G", used_usage: "20%" },
  disk_system: { type: "SSD", size: "1T" },
  disk_data: [{ path: "/data", type: "SSD", size: "4T", free: "3T", used_usage: "25%" }],
  images: [{ image_name: "ubuntu22.qcow2", image_size: "10G" }],
};
const rnd = () => 0;

describe("create form", () => {
  it("suggests sensible defaults", () => {
    const f = defaultForm(info, rnd);
    expect(f.image_name).toBe("ubuntu22.qcow2");
    expect(f.ssh_port).toBe("20000");
    expect(f.vnc_port).toBe("5900");
    expect(f.gpu_count).toBe("1");
    expect(f.cpu_cores).toBe("4");
    expect(f.disk_size).toBe("50");
    expect(f.rdp_port).toBe("");
  });
  it("prefers a Linux image and suggests the OS from the image", () => {
    const both = { ...info, images: [{ image_name: "windows-server-2022.qcow2", image_size: "28G" }, { image_name: "ubuntu-22.04.qcow2", image_size: "12G" }] };
    expect(defaultForm(both, rnd).image_name).toBe("ubuntu-22.04.qcow2");
    const win = defaultForm({ ...info, images: [{ image_name: "windows-server-2022.qcow2", image_size: "28G" }] }, rnd);
    expect(win.operation_system).toBe("windows");
    expect(win.rdp_port).toBe("20000");
    expect(win.ssh_port).toBe("");
    expect(win.bios_mode).toBe("uefi");
    expect(osForImage("Win10.qcow2")).toBe("windows");
    expect(osForImage("centos.qcow2")).toBe("linux");
  });
  it("a partial rent order suggests exactly its GPU count; a whole one suggests one", () => {
    const partial: RentOrder = { id: "1002", renter: "5Dy8", rent_end: "9", rent_status: "renting", gpu_nums: 2, gpu_index: [0, 1] };
    expect(suggestedGpus(info, partial)).toBe(2);
    expect(defaultForm(info, rnd, partial).gpu_count).toBe("2");
    const whole: RentOrder = { ...partial, gpu_nums: 4, gpu_index: [0, 1, 2, 3] };
    expect(suggestedGpus(info, whole)).toBe(1);
    expect(suggestedGpus(info, null)).toBe(1);
  });
  it("no free GPUs → suggests 0", () => {
    expect(defaultForm({ ...info, gpu: { gpu_count: 2, gpu_used: 2 } }, rnd).gpu_count).toBe("0");
    expect(defaultForm(null, rnd).image_name).toBe("");
  });
  it("windows suggests an RDP port instead of SSH", () => {
    const f = withOs(defaultForm(info, rnd), "windows", rnd);
    expect(f.ssh_port).toBe("");
    expect(f.rdp_port).toBe("20000");
    expect(toCreateTask(f).rdp_port).toBe("20000");
    expect(toCreateTask(f).ssh_port).toBe("");
    expect(withOs(f, "windows", rnd)).toBe(f);
    expect(withOs(f, "linux", rnd).ssh_port).toBe("20000");
    // Windows boots with UEFI, Linux goes back to the default; PXE is kept
    expect(f.bios_mode).toBe("uefi");
    expect(withOs(f, "linux", rnd).bios_mode).toBe("");
    expect(withOs({ ...f, bios_mode: "pxe" }, "linux", rnd).bios_mode).toBe("pxe");
    expect(withOs({ ...defaultForm(info, rnd), bios_mode: "pxe" }, "windows", rnd).bios_mode).toBe("pxe");
  });
  it("sends the LAN, the data file and a custom task id", () => {
    const f = { ...defaultForm(info, rnd), network_name: "lab", data_file_name: " data1.qcow2 ", task_id: " MyTask0000000000000001 " };
    const r = toCreateTask(f);
    expect(r.network_name).toBe("lab");
    expect(r.data_file_name).toBe("data1.qcow2");
    expect(r.task_id).toBe("MyTask0000000000000001");
    expect(toCreateTask(defaultForm(info, rnd)).task_id).toBe("");
  });
  it("turns the form into the request", () => {
    const f = { ...defaultForm(info, rnd), custom_port: "8080:80/tcp\n\n 9000:9000/udp ", desc: " hi " };
    const r = toCreateTask(f);
    expect(r.custom_port).toEqual(["8080:80/tcp", "9000:9000/udp"]);
    expect(r.desc).toBe("hi");
    expect(r.operation_system).toBe("linux");
    expect(r.task_id).toBe("");
    expect(r.multicast).toEqual([]);
    expect(lines("a\r\nb")).toEqual(["a", "b"]);
  });
  it("sends numbers as the typed text, trimmed", () => {
    const r = toCreateTask({ ...defaultForm(info, rnd), vnc_port: " 80 ", cpu_cores: "x", public_ip: " 203.0.113.7 " });
    expect(r.vnc_port).toBe("80");
    expect(r.cpu_cores).toBe("x");
    expect(r.public_ip).toBe("203.0.113.7");
  });
});

describe("create form: where Rust's field errors show", () => {
  it("a list entry names the line of its textarea", () => {
    const f = { ...defaultForm(info, rnd), custom_port: "tcp,8080\n\ntcp/udp,80", network_filters: "in,tcp,22,0.0.0.0/0,maybe" };
    const e = fieldErrors(
      [
        { field: "custom_port[1]", rule: "format", message: "one line per protocol" },
        { field: "network_filters[0]", rule: "format", message: "bad rule" },
        { field: "vnc_port", rule: "range", message: "must be between 5900 and 65535" },
      ],
      createFieldMap(f),
    );
    expect(e).toEqual({ custom_port: "line 3: one line per protocol", network_filters: "line 1: bad rule", vnc_port: "must be between 5900 and 65535" });
    expect(unplacedErrors(e, CREATE_FIELDS)).toEqual([]);
  });
  it("errors on fields the form has no input for are listed apart", () => {
    const e = fieldErrors([{ field: "machine_id", rule: "format", message: "bad id" }, { field: "data_file_name", rule: "charset", message: "no folder" }], createFieldMap(defaultForm(info, rnd)));
    expect(unplacedErrors(e, CREATE_FIELDS)).toEqual(["machine_id: bad id"]);
  });
  it("the advanced fields all have an input", () => {
    for (const k of ADVANCED_FIELDS) expect(CREATE_FIELDS).toContain(k);
  });
});
