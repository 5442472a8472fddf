// Form helpers for the VM dialog's Disks, Snapshots and Settings tabs: form state, client-side
// checks that mirror the backend's (dbc-api request.rs / validate.rs) so obviously wrong input is
// never sent, the "only what changed" diff for tasks/modify, and a bounded poll helper.
import type { MachineInfo, RentOrder, TaskDetail, commands } from "../../lib/ipc";
import { lines } from "../fleet/createForm";

/** What `taskModify` accepts (empty string / null = unchanged). */
export type ModifyTask = Parameters<(typeof commands)["taskModify"]>[2];

export { lines };

// ---------------------------------------------------------------------------------------------
// Small checks

/** A whole number in [min, max]; `null` when fine. Empty counts as missing when `required`. */
export function wholeNumber(v: string, min: number, max: number, required = true): string | null {
  const t = v.trim();
  if (!t) return required ? "this field is required" : null;
  if (!/^\d+$/.test(t)) return "must be a whole number (digits only)";
  const n = Number(t);
  if (n < min || n > max) return `must be between ${min} and ${max}`;
  return null;
}

export function isIpv4(v: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  return !!m && m.slice(1).every((p) => (p.length === 1 || !p.startsWith("0")) && Number(p) <= 255);
}

export function isCidr(v: string): boolean {
  const i = v.indexOf("/");
  if (i < 0) return false;
  const ip = v.slice(0, i);
  const bits = v.slice(i + 1);
  return isIpv4(ip) && /^\d+$/.test(bits) && Number(bits) <= 32;
}

/** Characters the node cannot carry in free text (they break its JSON reply). */
export function freeTextError(v: string, maxLen: number): string | null {
  // eslint-disable-next-line no-control-regex
  const bad = /["\\\u0000-\u001f\u007f]/.exec(v);
  if (bad) {
    const c = bad[0];
    return c === '"' || c === "\\"
      ? `the character ${c} cannot be used here`
      : "control characters (such as new lines or tabs) cannot be used here";
  }
  if ([...v].length > maxLen) return `at most ${maxLen} characters`;
  return null;
}

/** Snapshot names become part of a URL: letters, digits, '.', '_' and '-'. */
export function pathSegmentError(v: string): string | null {
  if (!v) return "this field is required";
  if (!/^[A-Za-z0-9._-]+$/.test(v)) return "only letters, digits, '.', '_' and '-' are allowed";
  return null;
}

// ---------------------------------------------------------------------------------------------
// Port forwards and firewall rules (one per line)

function port(s: string): number | null {
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : null;
}

function portRange(s: string): [number, number] | null {
  const i = s.indexOf("-");
  if (i < 0) {
    const p = port(s);
    return p === null ? null : [p, p];
  }
  const a = port(s.slice(0, i));
  const b = port(s.slice(i + 1));
  return a !== null && b !== null && a <= b ? [a, b] : null;
}

/** One custom port forward: `tcp,8080`, `udp,7000-7010`, `tcp,80:8080`, `tcp,1-5:11-15`. */
export function portForwardError(line: string): string | null {
  const c = line.indexOf(",");
  if (c < 0) return "write it as protocol,ports — e.g. tcp,8080 or udp,7000-7010";
  const proto = line.slice(0, c);
  const ports = line.slice(c + 1);
  if (proto.includes("/")) return `'${proto}' is not accepted by the node: one line per protocol, e.g. tcp,${ports} and udp,${ports}`;
  if (proto !== "tcp" && proto !== "udp") return "the protocol must be tcp or udp";
  const k = ports.indexOf(":");
  let ok: boolean;
  if (k < 0) ok = portRange(ports) !== null;
  else {
    const host = ports.slice(0, k);
    const guest = ports.slice(k + 1);
    const hr = host.includes("-");
    const gr = guest.includes("-");
    if (!hr && !gr) ok = port(host) !== null && port(guest) !== null;
    else if (hr && gr) ok = portRange(host) !== null && portRange(guest) !== null;
    else ok = false;
  }
  return ok ? null : "ports must be N, HOST:GUEST, FROM-TO or FROM-TO:FROM-TO with ports 1 to 65535";
}

/** One firewall rule: `direction,protocol,port,cidr,action`, e.g. `in,tcp,22,0.0.0.0/0,accept`. */
export function networkFilterError(line: string): string | null {
  const msg = "write a rule as direction,protocol,port,cidr,action — e.g. in,tcp,22,0.0.0.0/0,accept";
  const p = line.split(",");
  if (p.length !== 5) return msg;
  const dirOk = p[0] === "in" || p[0] === "out";
  const protoOk = ["tcp", "udp", "icmp", "all"].includes(p[1]);
  const portOk = p[2] === "all" || p[2].split("-").every((x) => /^\d+$/.test(x) && Number(x) <= 65535);
  const cidrOk = p[3] === "0.0.0.0/0" || (isCidr(p[3]) && !p[3].includes("192.168.122."));
  const actOk = ["accept", "drop", "reject"].includes(p[4]);
  return dirOk && protoOk && portOk && cidrOk && actOk ? null : msg;
}

/** Checks every line; the message names the first bad line ("line 2: …"). */
export function linesError(text: string, check: (l: string) => string | null): string | null {
  const ls = lines(text);
  for (let i = 0; i < ls.length; i++) {
    const m = check(ls[i]);
    if (m) return ls.length > 1 ? `line ${i + 1} (${ls[i]}): ${m}` : m;
  }
  return null;
}

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
  /** One forward per line. Empty = leave the VM's forwards as they are. */
  custom_port: string;
  /** One rule per line; starts with the VM's current rules. */
  network_filters: string;
}

/** "8G", "8 GB", "8" → "8"; anything else (e.g. "512M") → "" (not prefilled). */
export function memGb(v: string | null | undefined): string {
  const m = /^\s*(\d+)\s*(g|gb|gib)?\s*$/i.exec(v ?? "");
  return m ? m[1] : "";
}

/** The form as the VM is now, so untouched fields are not sent. */
export function settingsFromDetail(d: TaskDetail | null): SettingsForm {
  return {
    ssh_port: (d?.ssh_port ?? "").trim(),
    rdp_port: (d?.rdp_port ?? "").trim(),
    vnc_port: (d?.vnc_port ?? "").trim(),
    public_ip: "",
    cpu_cores: d?.cpu_cores != null ? String(d.cpu_cores) : "",
    mem_size: memGb(d?.mem_size),
    gpu_count: d?.gpu_count != null ? String(d.gpu_count) : "",
    custom_port: "",
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
    new_custom_port: lines(f.custom_port).length > 0 && !sameLines(f.custom_port, initial.custom_port) ? lines(f.custom_port) : null,
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

/** Client-side checks on what would be sent; keys are wire names (`new_ssh_port`, …). */
export function validateModify(c: ModifyTask): Record<string, string> {
  const e: Record<string, string> = {};
  const put = (k: string, m: string | null) => {
    if (m) e[k] = m;
  };
  if (c.new_public_ip && !isIpv4(c.new_public_ip)) e.new_public_ip = "must be an IPv4 address such as 203.0.113.7";
  if (c.new_ssh_port) put("new_ssh_port", wholeNumber(c.new_ssh_port, 1, 65535));
  if (c.new_rdp_port) put("new_rdp_port", wholeNumber(c.new_rdp_port, 1, 65535));
  if (c.new_ssh_port && c.new_ssh_port === c.new_rdp_port && !e.new_ssh_port) e.new_rdp_port = "the SSH and RDP ports must differ";
  if (c.new_vnc_port) put("new_vnc_port", wholeNumber(c.new_vnc_port, 5900, 65535));
  if (c.new_gpu_count) put("new_gpu_count", wholeNumber(c.new_gpu_count, 0, 1024));
  if (c.new_cpu_cores) put("new_cpu_cores", wholeNumber(c.new_cpu_cores, 1, 4096));
  if (c.new_mem_size) put("new_mem_size", wholeNumber(c.new_mem_size, 1, 1 << 20));
  if (c.new_custom_port) put("new_custom_port", linesError(c.new_custom_port.join("\n"), portForwardError));
  if (c.new_network_filters) put("new_network_filters", linesError(c.new_network_filters.join("\n"), networkFilterError));
  return e;
}

/** Changes that the node applies only when the VM boots next. */
export function appliesAtNextBoot(c: ModifyTask): boolean {
  return !!(c.new_vnc_port || c.new_gpu_count || c.new_cpu_cores || c.new_mem_size);
}

/** The node's reply to a modify, for a person: "ok" → "Saved", else its message verbatim. */
export function modifyReplyText(msg: string | null | undefined): string {
  const m = (msg ?? "").trim();
  return !m || /^ok\.?$/i.test(m) ? "Saved" : m;
}

// ---------------------------------------------------------------------------------------------
// Password

export function validatePasswd(user: string, pw: string, pw2: string): Record<string, string> {
  const e: Record<string, string> = {};
  if (!user.trim()) e.username = "this field is required";
  else {
    const m = freeTextError(user, 64);
    if (m) e.username = m;
  }
  if (!pw) e.password = "this field is required";
  else {
    const m = freeTextError(pw, 128);
    if (m) e.password = m;
  }
  if (!e.password && pw !== pw2) e.password2 = "the two passwords are different";
  return e;
}

// ---------------------------------------------------------------------------------------------
// Disks

export const DEFAULT_DISK_GB = "50";
export const DEFAULT_MOUNT_DIR = "/data";

const MAX_GB = 4294967295; // the command takes a u32

/** A GB amount ≥ 1; `what` names it in the message. */
export function gbError(v: string, what: string): string | null {
  const t = v.trim();
  if (!t) return "this field is required";
  if (!/^\d+$/.test(t)) return "must be a whole number of GB (digits only)";
  const n = Number(t);
  if (n < 1) return `${what} must be at least 1 GB`;
  if (n > MAX_GB) return "too large";
  return null;
}

export function validateDiskAdd(size: string, mountDir: string): Record<string, string> {
  const e: Record<string, string> = {};
  const m = gbError(size, "the disk size");
  if (m) e.size = m;
  const dir = mountDir.trim() || DEFAULT_MOUNT_DIR;
  if (!dir.startsWith("/")) e.mount_dir = "an absolute folder on the GPU host, e.g. /data";
  else {
    const x = freeTextError(dir, 255);
    if (x) e.mount_dir = x;
  }
  return e;
}

export function validateGrow(disk: string, add: string): Record<string, string> {
  const e: Record<string, string> = {};
  if (!/^vd[a-z]+$/.test(disk)) e.disk = "a disk name looks like vdb, vdc, …";
  const m = gbError(add, "the amount to add");
  if (m) e.size = m;
  return e;
}

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

export function validateSnapshot(f: SnapshotForm): Record<string, string> {
  const e: Record<string, string> = {};
  const n = pathSegmentError(f.name.trim());
  if (n) e.snapshot_name = n;
  const d = freeTextError(f.desc, 1024);
  if (d) e.desc = d;
  if (!f.image_server.trim()) e.image_server = "choose an image server";
  return e;
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
