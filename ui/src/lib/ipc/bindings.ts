// TEMPORARY PLACEHOLDER — the real file is generated from Rust by tauri-specta (`cargo test`).
// It mirrors the agreed command contract exactly; do not edit by hand once generated.
/* eslint-disable */
import { invoke as TAURI_INVOKE } from "@tauri-apps/api/core";

export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

async function wrap<T>(cmd: string, args?: Record<string, unknown>): Promise<Result<T, AppError>> {
  try {
    return { status: "ok", data: await TAURI_INVOKE<T>(cmd, args) };
  } catch (e) {
    if (e instanceof Error) throw e;
    return { status: "error", error: e as AppError };
  }
}

export const commands = {
  async appInfo(): Promise<Result<AppInfo, AppError>> { return wrap("app_info"); },
  async vaultUseFile(passphrase: string): Promise<Result<VaultStatus, AppError>> { return wrap("vault_use_file", { passphrase }); },
  async vaultUnlock(passphrase: string): Promise<Result<VaultStatus, AppError>> { return wrap("vault_unlock", { passphrase }); },
  async walletList(): Promise<Result<WalletInfo[], AppError>> { return wrap("wallet_list"); },
  async walletAdd(input: WalletImport): Promise<Result<WalletInfo, AppError>> { return wrap("wallet_add", { input }); },
  async walletRemove(id: string): Promise<Result<null, AppError>> { return wrap("wallet_remove", { id }); },
  async connectionSet(url: string | null): Promise<Result<AppInfo, AppError>> { return wrap("connection_set", { url }); },
  async connectionTest(url: string): Promise<Result<string, AppError>> { return wrap("connection_test", { url }); },
  async machineList(): Promise<Result<MachineEntry[], AppError>> { return wrap("machine_list"); },
  async machineAdd(input: MachineInput): Promise<Result<MachineEntry, AppError>> { return wrap("machine_add", { input }); },
  async machineRemove(id: string): Promise<Result<null, AppError>> { return wrap("machine_remove", { id }); },
  async fleet(): Promise<Result<FleetMachine[], AppError>> { return wrap("fleet"); },
  async taskGet(machineId: string, taskId: string): Promise<Result<TaskView, AppError>> { return wrap("task_get", { machineId, taskId }); },
  async taskCreate(machineId: string, spec: CreateTask): Promise<Result<TaskSummary, AppError>> { return wrap("task_create", { machineId, spec }); },
  async taskAction(machineId: string, taskId: string, action: TaskAction): Promise<Result<string, AppError>> { return wrap("task_action", { machineId, taskId, action }); },
  async taskRestart(machineId: string, taskId: string, force: boolean): Promise<Result<string, AppError>> { return wrap("task_restart", { machineId, taskId, force }); },
  async taskLogs(machineId: string, taskId: string, end: LogEnd, lines: number): Promise<Result<string[], AppError>> { return wrap("task_logs", { machineId, taskId, end, lines }); },
  async sessionShare(machineId: string): Promise<Result<SharedSession, AppError>> { return wrap("session_share", { machineId }); },
  async prefsGet(): Promise<Result<Prefs, AppError>> { return wrap("prefs_get"); },
  async prefsSet(prefs: Prefs): Promise<Result<Prefs, AppError>> { return wrap("prefs_set", { prefs }); },
};

export type AppError = { code: string; title: string; message: string; hint: string | null; reply: NodeReply | null; fields: FieldError[] };
export type NodeReply = { status: number; errcode: number; message: string };
export type FieldError = { field: string; rule: string; message: string };
export type AppInfo = { version: string; demo: DemoInfo | null; client_url: string | null; settings_warning: string | null; vault: VaultStatus };
export type DemoInfo = { url: string; wallet_address: string; machines: DemoMachine[] };
export type DemoMachine = { node_id: string; name: string; rent_order: string | null };
export type VaultStatus = { backend: "keychain" | "file" | "unavailable"; locked: boolean; reason: string | null };
export type WalletInfo = { id: string; name: string; address: string };
export type WalletImport = { name: string; kind: "seed" | "mnemonic" | "keystore"; secret: string; derivation: string; password: string };
export type MachineEntry = { id: string; label: string; node_id: string; rent_order: string | null; auth: MachineAuth };
export type MachineAuth = { kind: "wallet"; wallet_id: string } | { kind: "session"; session_id: string };
export type MachineInput = { label: string; node_id: string; rent_order: string; wallet_id: string | null; session_id: string | null; session_id_sign: string | null };
export type Prefs = { poll_fast_ms: number; poll_slow_ms: number; language: string; theme: "system" | "light" | "dark" };
export type FleetMachine = { entry: MachineEntry; info: MachineInfo | null; tasks: TaskSummary[]; error: AppError | null };
export type MachineInfo = {
  version: string; node_type: string; ip: string; os: string;
  cpu: { type: string; hz: string; cores: number; used_usage: string; physical_cpus: number };
  gpu: { gpu_count: number; gpu_used: number };
  mem: { size: string; free: string; used_usage: string };
  disk_system: { type: string; size: string };
  disk_data: { path: string; type: string; size: string; free: string; used_usage: string }[];
  images: { image_name: string; image_size: string }[];
};
export type TaskSummary = { task_id: string; create_time: string; desc: string; status: string };
export type TaskView = { detail: TaskDetail; ssh_command: string | null; rdp_address: string | null; vnc_address: string | null };
export type TaskDetail = {
  task_id: string; os: string; ssh_ip: string; ssh_port: string | null; rdp_port: string | null;
  user_name: string; login_password: string; cpu_cores: number; gpu_count: number;
  mem_size: string; disk_system: string; vnc_port: string; vnc_password: string; network_name: string | null;
  create_time: string; desc: string; status: string; rent_order: string | null;
  local_address: string[]; disks: { name: string; size: string; source_file: string }[];
  network_filters: string[]; interface: { name: string; type: string; mac_address: string }[];
};
export type CreateTask = {
  task_id: string; gpu_count: string; desc: string; operation_system: string; bios_mode: string; image_name: string;
  public_ip: string; ssh_port: string; rdp_port: string; vnc_port: string; cpu_cores: string; mem_size: string;
  disk_size: string; data_file_name: string; network_name: string; custom_port: string[]; multicast: string[];
  network_filters: string[]; interface_model_type: string;
};
export type TaskAction = "start" | "shutdown" | "poweroff" | "reset" | "delete";
export type LogEnd = "head" | "tail";
export type SharedSession = { node_id: string; rent_order: string | null; session_id: string; session_id_sign: string };
