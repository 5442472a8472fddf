import { describe, expect, it } from "vitest";
import { defaultForm, osForImage, lines, suggestedGpus, toCreateTask, validateCreate, withOs } from "./createForm";
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
  it("suggests sensible, valid defaults", () => {
    const f = defaultForm(info, rnd);
    expect(f.image_name).toBe("ubuntu22.qcow2");
    expect(f.ssh_port).toBe("20000");
    expect(f.vnc_port).toBe("5900");
    expect(f.gpu_count).toBe("1");
    expect(f.cpu_cores).toBe("4");
    expect(validateCreate(f)).toEqual({});
  });
  it("prefers a Linux image and suggests the OS from the image", () => {
    const both = { ...info, images: [{ image_name: "windows-server-2022.qcow2", image_size: "28G" }, { image_name: "ubuntu-22.04.qcow2", image_size: "12G" }] };
    expect(defaultForm(both, rnd).image_name).toBe("ubuntu-22.04.qcow2");
    const win = defaultForm({ ...info, images: [{ image_name: "windows-server-2022.qcow2", image_size: "28G" }] }, rnd);
    expect(win.operation_system).toBe("windows");
    expect(win.rdp_port).toBe("20000");
    expect(win.ssh_port).toBe("");
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
  it("rejects a VNC port below 5900 and other bad input", () => {
    const f = { ...defaultForm(info, rnd), vnc_port: "80", cpu_cores: "x", image_name: "a.img" };
    const e = validateCreate(f);
    expect(e.vnc_port).toMatch(/5900/);
    expect(e.cpu_cores).toMatch(/number/);
    expect(e.image_name).toMatch(/qcow2/);
  });
  it("VNC port must differ from the SSH port", () => {
    expect(validateCreate({ ...defaultForm(info, rnd), ssh_port: "5901", vnc_port: "5901" }).vnc_port).toMatch(/differ/);
  });
  it("windows needs an RDP port instead of SSH", () => {
    const f = withOs(defaultForm(info, rnd), "windows", rnd);
    expect(f.ssh_port).toBe("");
    expect(f.rdp_port).toBe("20000");
    expect(validateCreate(f)).toEqual({});
    expect(validateCreate({ ...f, rdp_port: "" }).rdp_port).toBeTruthy();
    expect(validateCreate({ ...f, rdp_port: "", public_ip: "203.0.113.7" })).toEqual({});
    expect(withOs(f, "linux", rnd).ssh_port).toBe("20000");
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
});
