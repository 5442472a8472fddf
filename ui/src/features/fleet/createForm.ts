// The "New VM" form: its state, suggested defaults, quick client-side checks (mirroring the
// backend's rules so obviously wrong input is never sent), and the request it becomes.
import type { CreateTask, MachineInfo, RentOrder } from "../../lib/ipc";

export interface CreateForm {
  image_name: string;
  operation_system: "linux" | "windows";
  ssh_port: string;
  rdp_port: string;
  vnc_port: string;
  cpu_cores: string;
  mem_size: string;
  disk_size: string;
  gpu_count: string;
  desc: string;
  custom_port: string;
  multicast: string;
  network_filters: string;
  public_ip: string;
  bios_mode: "" | "legacy" | "uefi" | "pxe";
  interface_model_type: "" | "virtio" | "e1000" | "rtl8139";
}

function randPort(lo: number, hi: number, rnd: () => number): string {
  return String(lo + Math.floor(rnd() * (hi - lo + 1)));
}

/** Image names tell the OS apart well enough for a suggestion ("windows-server-2022.qcow2"). */
export function osForImage(name: string): "linux" | "windows" {
  return /win/i.test(name) ? "windows" : "linux";
}

/**
 * GPUs to suggest. A rent order covering part of the machine only accepts exactly its own GPU
 * count; a whole-machine order accepts 0..n, so suggest one GPU if any is free.
 */
export function suggestedGpus(info: MachineInfo | null, rent: RentOrder | null): number {
  const freeGpus = info ? Math.max(0, info.gpu.gpu_count - info.gpu.gpu_used) : 0;
  if (rent && info && rent.gpu_nums > 0 && rent.gpu_nums < info.gpu.gpu_count) return rent.gpu_nums;
  return Math.min(1, freeGpus);
}

export function defaultForm(
  info: MachineInfo | null,
  rnd: () => number = Math.random,
  rent: RentOrder | null = null,
): CreateForm {
  const all = info?.images ?? [];
  // Linux images first: they are the common case and give an SSH command.
  const images = [...all.filter((i) => osForImage(i.image_name) === "linux"), ...all.filter((i) => osForImage(i.image_name) === "windows")];
  const cores = info?.cpu?.cores ?? 0;
  const f: CreateForm = {
    image_name: images[0]?.image_name ?? "",
    operation_system: "linux",
    ssh_port: randPort(20000, 29999, rnd),
    rdp_port: "",
    vnc_port: randPort(5900, 5999, rnd),
    cpu_cores: String(cores > 0 ? Math.min(4, cores) : 4),
    mem_size: "8",
    disk_size: "50",
    gpu_count: String(suggestedGpus(info, rent)),
    desc: "",
    custom_port: "",
    multicast: "",
    network_filters: "",
    public_ip: "",
    bios_mode: "",
    interface_model_type: "",
  };
  return withOs(f, osForImage(f.image_name), rnd);
}

/** Switching OS swaps which remote-access port is suggested. */
export function withOs(f: CreateForm, os: "linux" | "windows", rnd: () => number = Math.random): CreateForm {
  if (os === f.operation_system) return f;
  if (os === "windows") {
    return { ...f, operation_system: os, rdp_port: f.rdp_port || f.ssh_port || randPort(30000, 39999, rnd), ssh_port: "" };
  }
  return { ...f, operation_system: os, ssh_port: f.ssh_port || f.rdp_port || randPort(20000, 29999, rnd), rdp_port: "" };
}

export function lines(s: string): string[] {
  return s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export function toCreateTask(f: CreateForm): CreateTask {
  return {
    task_id: "",
    gpu_count: f.gpu_count.trim(),
    desc: f.desc.trim(),
    operation_system: f.operation_system,
    bios_mode: f.bios_mode,
    image_name: f.image_name.trim(),
    public_ip: f.public_ip.trim(),
    ssh_port: f.ssh_port.trim(),
    rdp_port: f.rdp_port.trim(),
    vnc_port: f.vnc_port.trim(),
    cpu_cores: f.cpu_cores.trim(),
    mem_size: f.mem_size.trim(),
    disk_size: f.disk_size.trim(),
    data_file_name: "",
    network_name: "",
    custom_port: lines(f.custom_port),
    multicast: lines(f.multicast),
    network_filters: lines(f.network_filters),
    interface_model_type: f.interface_model_type,
  };
}

function num(v: string, min: number, max: number, required: boolean): string | null {
  const t = v.trim();
  if (!t) return required ? "this field is required" : null;
  if (!/^\d+$/.test(t)) return "must be a whole number (digits only)";
  const n = Number(t);
  if (n < min || n > max) return `must be between ${min} and ${max}`;
  return null;
}

/** Client-side checks; keys are wire field names. Empty object = OK to send. */
export function validateCreate(f: CreateForm): Record<string, string> {
  const e: Record<string, string> = {};
  const put = (k: string, m: string | null) => {
    if (m) e[k] = m;
  };
  const img = f.image_name.trim();
  if (!img) e.image_name = "choose an image";
  else if (!img.endsWith(".qcow2")) e.image_name = "the image file name must end in .qcow2";
  const hasIp = f.public_ip.trim() !== "";
  if (hasIp && !/^(\d{1,3})(\.\d{1,3}){3}$/.test(f.public_ip.trim())) {
    e.public_ip = "must be an IPv4 address such as 203.0.113.7";
  }
  const win = f.operation_system === "windows";
  put("ssh_port", num(f.ssh_port, 1, 65535, !win && !hasIp));
  put("rdp_port", num(f.rdp_port, 1, 65535, win && !hasIp));
  put("vnc_port", num(f.vnc_port, 5900, 65535, true));
  if (!e.vnc_port && f.vnc_port.trim() !== "" &&
      (f.vnc_port.trim() === f.ssh_port.trim() || f.vnc_port.trim() === f.rdp_port.trim())) {
    e.vnc_port = "the VNC port must differ from the SSH/RDP port";
  }
  put("cpu_cores", num(f.cpu_cores, 1, 4096, true));
  put("mem_size", num(f.mem_size, 1, 1 << 20, true));
  put("disk_size", num(f.disk_size, f.bios_mode === "pxe" ? 0 : 1, 1 << 24, f.bios_mode !== "pxe"));
  put("gpu_count", num(f.gpu_count, 0, 1024, false));
  if (f.desc.length > 1024) e.desc = "too long";
  return e;
}
