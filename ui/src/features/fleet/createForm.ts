// The "New VM" form: its state, suggested defaults, the request it becomes and where the
// request's field errors show. The rules themselves live in Rust (`formCheck`).
import type { CreateTask, MachineInfo, RentOrder } from "../../lib/ipc";
import type { FieldMap } from "../../lib/errors";
import { lines } from "../../lib/lines";

export { lines };

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
  /** Empty: the node makes one up. */
  task_id: string;
  /** An existing data disk file in the node's /data to attach. */
  data_file_name: string;
  /** A private LAN of this machine to join. */
  network_name: string;
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
    task_id: "",
    data_file_name: "",
    network_name: "",
  };
  return withOs(f, osForImage(f.image_name), rnd);
}

/**
 * Switching OS swaps which remote-access port is suggested, and the boot mode: Windows images
 * boot with UEFI (DBC's wiki), Linux ones with the default (legacy). A PXE choice is kept.
 */
export function withOs(f: CreateForm, os: "linux" | "windows", rnd: () => number = Math.random): CreateForm {
  if (os === f.operation_system) return f;
  if (os === "windows") {
    const bios_mode = f.bios_mode === "pxe" ? f.bios_mode : "uefi";
    return { ...f, operation_system: os, bios_mode, rdp_port: f.rdp_port || f.ssh_port || randPort(30000, 39999, rnd), ssh_port: "" };
  }
  const bios_mode = f.bios_mode === "uefi" ? "" : f.bios_mode;
  return { ...f, operation_system: os, bios_mode, ssh_port: f.ssh_port || f.rdp_port || randPort(20000, 29999, rnd), rdp_port: "" };
}

export function toCreateTask(f: CreateForm): CreateTask {
  return {
    task_id: f.task_id.trim(),
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
    data_file_name: f.data_file_name.trim(),
    network_name: f.network_name,
    custom_port: lines(f.custom_port),
    multicast: lines(f.multicast),
    network_filters: lines(f.network_filters),
    interface_model_type: f.interface_model_type,
  };
}

/** Fields of the form with an input of their own (wire names); errors on others are listed apart. */
export const CREATE_FIELDS: readonly string[] = [
  "image_name",
  "operation_system",
  "ssh_port",
  "rdp_port",
  "vnc_port",
  "gpu_count",
  "cpu_cores",
  "mem_size",
  "disk_size",
  "desc",
  "public_ip",
  "bios_mode",
  "interface_model_type",
  "custom_port",
  "multicast",
  "network_filters",
  "task_id",
  "data_file_name",
  "network_name",
];

/** Fields inside the collapsed "Advanced" section (opened when one of them has an error). */
export const ADVANCED_FIELDS: readonly string[] = ["task_id", "data_file_name", "public_ip", "bios_mode", "interface_model_type", "custom_port", "multicast", "network_filters"];

/** The form's keys are the wire names; list entries (`custom_port[1]`) name their textarea line. */
export function createFieldMap(f: CreateForm): FieldMap {
  return { lines: { custom_port: f.custom_port, multicast: f.multicast, network_filters: f.network_filters } };
}
