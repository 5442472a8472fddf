// Form helpers for the VM dialog's Disks, Snapshots and Settings tabs: form state, the values
// each request carries (also what `formCheck` judges: the node's rules live only in Rust), where
// field errors show, the "only what changed" diff for tasks/modify, and a bounded poll helper.
import type { Form, MachineInfo, ModifyTask, RentOrder, TaskDetail } from "../../lib/ipc";
import type { FieldMap } from "../../lib/errors";
import { lines } from "../../lib/lines";
import { t } from "../../lib/i18n.svelte";

export type { ModifyTask };
export { lines };

// ---------------------------------------------------------------------------------------------
// Settings (tasks/modify)

export interface SettingsForm {
  ssh_port: string;
  rdp_port: string;
  vnc_port: string;
  public_ip: string;
  cpu_cores: string;
  mem_size: string;
  gpu_count: string;
  /** One forward per line; starts with the remembered ones. Emptied: all are removed. */
  custom_port: string;
  /** One rule per line; starts with the VM's current rules. */
  network_filters: string;
}

/** "8G", "8 GB", "8" → "8"; anything else (e.g. "512M") → "" (not prefilled). */
export function memGb(v: string | null | undefined): string {
  const m = /^\s*(\d+)\s*(g|gb|gib)?\s*$/i.exec(v ?? "");
  return m ? m[1] : "";
}

/**
 * The form as the VM is now, so untouched fields are not sent. `forwards` and `publicIp`: the
 * custom forwards and the public IP DBC Desk remembers sending (the node reports neither).
 */
export function settingsFromDetail(d: TaskDetail | null, forwards: string[] = [], publicIp = ""): SettingsForm {
  return {
    ssh_port: (d?.ssh_port ?? "").trim(),
    rdp_port: (d?.rdp_port ?? "").trim(),
    vnc_port: (d?.vnc_port ?? "").trim(),
    public_ip: publicIp,
    cpu_cores: d?.cpu_cores != null ? String(d.cpu_cores) : "",
    mem_size: memGb(d?.mem_size),
    gpu_count: d?.gpu_count != null ? String(d.gpu_count) : "",
    custom_port: forwards.join("\n"),
    network_filters: (d?.network_filters ?? []).join("\n"),
  };
}

function sameLines(a: string, b: string): boolean {
  const x = lines(a);
  const y = lines(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Only the fields that differ from `initial`; everything else is empty / null (= unchanged). */
export function modifyChanges(initial: SettingsForm, f: SettingsForm): ModifyTask {
  const s = (k: "ssh_port" | "rdp_port" | "vnc_port" | "public_ip" | "cpu_cores" | "mem_size" | "gpu_count") => {
    const v = f[k].trim();
    return v !== "" && v !== initial[k].trim() ? v : "";
  };
  return {
    new_public_ip: s("public_ip"),
    new_ssh_port: s("ssh_port"),
    new_rdp_port: s("rdp_port"),
    // The list replaces the VM's forwards: unchanged → not sent, emptied → all removed.
    new_custom_port: sameLines(f.custom_port, initial.custom_port) ? null : lines(f.custom_port),
    new_network_filters: sameLines(f.network_filters, initial.network_filters) ? null : lines(f.network_filters),
    new_vnc_port: s("vnc_port"),
    new_gpu_count: s("gpu_count"),
    new_cpu_cores: s("cpu_cores"),
    new_mem_size: s("mem_size"),
  };
}

export function isEmptyChange(c: ModifyTask): boolean {
  return Object.values(c).every((v) => v === "" || v === null || v === undefined);
}

/** The form's keys are the wire names; list entries (`new_custom_port[1]`) name their line. */
export function settingsFieldMap(f: SettingsForm): FieldMap {
  return { lines: { new_custom_port: f.custom_port, new_network_filters: f.network_filters } };
}

/** Errors on these show next to their field (`modify`: nothing to change); others are listed. */
export const SETTINGS_FIELDS: readonly string[] = [
  "modify",
  "new_ssh_port",
  "new_rdp_port",
  "new_public_ip",
  "new_vnc_port",
  "new_cpu_cores",
  "new_mem_size",
  "new_gpu_count",
  "new_custom_port",
  "new_network_filters",
];

/** Changes that the node applies only when the VM boots next. */
export function appliesAtNextBoot(c: ModifyTask): boolean {
  return !!(c.new_vnc_port || c.new_gpu_count || c.new_cpu_cores || c.new_mem_size);
}

/** The node's reply to a modify, for a person: "ok" → "Saved", else its message verbatim. */
export function modifyReplyText(msg: string | null | undefined): string {
  const m = (msg ?? "").trim();
  return !m || /^ok\.?$/i.test(m) ? t("vm.settings.saved") : m;
}

// ---------------------------------------------------------------------------------------------
// Password

/** The values `taskPasswd` and `formCheck` get. */
export function passwdForm(user: string, password: string): Extract<Form, { form: "passwd" }> {
  return { form: "passwd", username: user.trim(), password };
}

/** The UI's own check (not a node rule): the password typed twice the same. */
export function passwordsMatch(pw: string, again: string): Record<string, string> {
  return pw === again ? {} : { password2: t("vm.settings.passwdDiffer") };
}

// ---------------------------------------------------------------------------------------------
// Disks

export const DEFAULT_DISK_GB = "50";
export const DEFAULT_MOUNT_DIR = "/data";

/** A new data disk as `diskAdd` / `formCheck` take it: the size as typed (Rust judges it). */
export function diskAddForm(size: string, mountDir: string): Extract<Form, { form: "disk_add" }> {
  return { form: "disk_add", size_gb: size, mount_dir: mountDir.trim() };
}

/** Growing `disk` by `add` GB, as typed. */
export function diskResizeForm(disk: string, add: string): Extract<Form, { form: "disk_resize" }> {
  return { form: "disk_resize", disk, add_gb: add };
}

/** The grow form shows the amount (wire `size`) as `grow_size`, next to its own input. */
export const GROW_FIELD_MAP: FieldMap = { keys: { size: "grow_size" } };

export function canDeleteDisk(name: string): boolean {
  return name !== "vda";
}

export interface DiskLike {
  name: string;
  size: string;
  file: string;
}

/** A stable key of a disk list, to notice when an asynchronous disk operation has landed. */
export function disksKey(list: readonly DiskLike[]): string {
  return [...list]
    .map((d) => `${d.name}|${d.size}|${d.file}`)
    .sort()
    .join(";");
}

// ---------------------------------------------------------------------------------------------
// Snapshots

export interface SnapshotForm {
  name: string;
  desc: string;
  image_server: string;
}

/** The values `snapshotCreate` and `formCheck` get (the name trimmed). */
export function snapshotForm(f: SnapshotForm): Extract<Form, { form: "snapshot" }> {
  return { form: "snapshot", name: f.name.trim(), desc: f.desc, image_server: f.image_server };
}

export type SnapPhase = "creating" | "uploading" | "done" | "other";

export function snapshotPhase(status: string | null | undefined): SnapPhase {
  const s = (status ?? "").trim().toLowerCase();
  if (s === "none" || s === "" || s === "done" || s === "finished") return "done";
  if (s === "creating") return "creating";
  if (s === "uploading") return "uploading";
  return "other";
}

export function anySnapshotBusy(list: readonly { status: string }[]): boolean {
  return list.some((s) => {
    const p = snapshotPhase(s.status);
    return p === "creating" || p === "uploading";
  });
}

// ---------------------------------------------------------------------------------------------
// Bounded polling

export interface PollOptions {
  intervalMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Stop early (e.g. the panel was closed). */
  cancelled?: () => boolean;
}

/**
 * Calls `fetch` every `intervalMs` until `done(result)` holds or `timeoutMs` passed. Returns the
 * last result and whether `done` was reached. Errors from `fetch` end the poll (rethrown).
 */
export async function pollUntil<T>(
  fetch: () => Promise<T>,
  done: (v: T) => boolean,
  o: PollOptions = {},
): Promise<{ value: T | null; done: boolean }> {
  const interval = o.intervalMs ?? 1000;
  const timeout = o.timeoutMs ?? 60_000;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? (() => Date.now());
  const start = now();
  let value: T | null = null;
  for (;;) {
    if (o.cancelled?.()) return { value, done: false };
    value = await fetch();
    if (done(value)) return { value, done: true };
    if (now() - start + interval > timeout) return { value, done: false };
    await sleep(interval);
  }
}

/**
 * A rent order that covers only part of the machine: the node then refuses CPU, memory and GPU
 * changes (`can not modify …`), so the form does not offer them.
 */
export function isPartialRent(info: MachineInfo | null, rent: RentOrder | null): boolean {
  return !!info && !!rent && rent.gpu_nums > 0 && rent.gpu_nums < info.gpu.gpu_count;
}
