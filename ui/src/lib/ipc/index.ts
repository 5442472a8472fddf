// The only door to Tauri. Everything else imports from "$lib/ipc" (relative path) instead of
// "@tauri-apps/*". The types and command wrappers come from the generated bindings.ts.
import { listen as tauriListen, type UnlistenFn } from "@tauri-apps/api/event";
import { commands } from "./bindings";
import { t } from "../i18n.svelte";

export { commands };

// ---- Types, derived from the generated command signatures ----
// tauri-specta may emit separate `X_Serialize` (what Rust sends) and `X_Deserialize` (what Rust
// accepts) shapes; deriving from the commands picks the right one and keeps the rest of the UI
// independent of how the generator names things.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => Promise<unknown>;
type Ok<F extends Fn> = Awaited<ReturnType<F>> extends infer R
  ? R extends { status: "error" }
    ? never
    : R extends { status: "ok"; data: infer D }
      ? D
      : R
  : never;
type Err<F extends Fn> = Awaited<ReturnType<F>> extends infer R ? (R extends { status: "error"; error: infer E } ? E : never) : never;
type C = typeof commands;

export type AppError = Err<C["appInfo"]>;
export type NodeReply = NonNullable<AppError["reply"]>;
export type FieldError = AppError["fields"][number];
/** The typed error code: the wire layer's codes plus the app's own ("missing", "conflict", …). */
export type ErrorCode = AppError["code"];
/** The catalog key of an error (`errors.<key>.title|message|hint`). */
export type ErrorKey = AppError["key"];
/** A form's values for `formCheck` (tagged by `form`). */
export type Form = Parameters<C["formCheck"]>[0];
export type AppInfo = Ok<C["appInfo"]>;
export type DemoInfo = NonNullable<AppInfo["demo"]>;
export type DemoMachine = DemoInfo["machines"][number];
export type VaultStatus = Ok<C["vaultUnlock"]>;
export type Strength = Awaited<ReturnType<C["passphraseStrength"]>>;
/** A risk in how the client-node address is reached (plain HTTP to another computer). */
export type ConnectionRisk = NonNullable<Awaited<ReturnType<C["connectionRisk"]>>>;
export type WalletInfo = Ok<C["walletList"]>[number];
export type MachineEntry = Ok<C["machineList"]>[number];
export type MachineAuth = MachineEntry["auth"];
export type FleetMachine = Ok<C["fleet"]>[number];
export type MachineInfo = NonNullable<FleetMachine["info"]>;
export type RentOrder = NonNullable<FleetMachine["rent"]>;
export type TaskSummary = Ok<C["taskCreate"]>;
export type TaskView = Ok<C["taskGet"]>;
export type TaskDetail = TaskView["detail"];
/** A VM's checked connection strings, or its values as data and why they were refused. */
export type Connection = TaskView["connection"];
export type ConnValue = Connection["values"][number];
export type ConnField = ConnValue["field"];
export type ConnRule = NonNullable<ConnValue["problem"]>["rule"];
export type SharedSession = Ok<C["sessionShare"]>;
export type Prefs = Ok<C["prefsGet"]>;
export type Theme = Prefs["theme"];
export type WalletImport = Parameters<C["walletAdd"]>[0];
export type MachineInput = Parameters<C["machineAdd"]>[0];
export type CreateTask = Parameters<C["taskCreate"]>[0]["spec"];
export type TaskAction = Parameters<C["taskAction"]>[0]["action"];
export type OpenKind = Parameters<C["vmOpen"]>[0]["kind"];
export type LogEnd = Parameters<C["taskLogs"]>[0]["end"];
export type ModifyTask = Parameters<C["taskModify"]>[0]["changes"];
export type DiskEntry = Ok<C["diskList"]>[number];
export type Snapshot = Ok<C["snapshotList"]>[number];
export type ImageEntry = Ok<C["imagesOnNode"]>[number];
export type Transfer = Parameters<C["imageTransferStart"]>[0]["direction"];
export type TransferProgress = Ok<C["imageTransferProgress"]>;
export type LanInfo = Ok<C["lanList"]>[number];
export type PortPlanView = Ok<C["portPlan"]>;
export type PortUse = PortPlanView["plan"]["used"][number];
export type Rentals = Ok<C["rentals"]>;
export type RentalView = Rentals["orders"][number];
export type ChainInfo = Rentals["chain"];
export type ChainSource = Prefs["chain_source"];
export type RentLookup = Ok<C["rentOrdersFind"]>;
/** A long operation followed by the activity centre (also the `activity` event's items). */
export type Activity = Ok<C["activityList"]>[number];
export type ActivityKind = Activity["kind"];
export type ActivityState = Activity["state"];
/** A rental warning, sent by Rust as the `rent-alert` event (also an OS notification). */
export type RentAlert = Ok<C["rentAlerts"]>[number];

/** An exception that carries the backend's structured AppError. */
export class AppCallError extends Error {
  readonly app: AppError;
  constructor(app: AppError) {
    super(app.title || app.message || app.code);
    this.name = "AppCallError";
    this.app = app;
  }
}

type Res<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

function isResult(v: unknown): v is Res<unknown, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    "status" in v &&
    ((v as { status: unknown }).status === "ok" || (v as { status: unknown }).status === "error")
  );
}

/** Awaits a generated command and returns its data, or throws an AppCallError. */
export async function call<T>(p: Promise<Res<T, unknown>> | Promise<T>): Promise<T> {
  let v: unknown;
  try {
    v = await p;
  } catch (e) {
    throw toCallError(e);
  }
  if (isResult(v)) {
    if (v.status === "ok") return (v as { data: T }).data;
    throw toCallError((v as { error: unknown }).error);
  }
  return v as T;
}

export function isAppError(v: unknown): v is AppError {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as AppError).code === "string" &&
    typeof (v as AppError).title === "string"
  );
}

/** Normalises anything thrown into an AppCallError (unknown shapes become code "internal"). */
export function toCallError(e: unknown): AppCallError {
  if (e instanceof AppCallError) return e;
  if (isAppError(e)) return new AppCallError({ ...e, params: e.params ?? {}, fields: e.fields ?? [], reply: e.reply ?? null, hint: e.hint ?? null });
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
  return new AppCallError({
    code: "internal",
    key: "internal",
    params: { detail: message || t("errors.unknown") },
    title: t("errors.titles.internal"),
    message: message || t("errors.unknown"),
    hint: null,
    reply: null,
    fields: [],
  });
}

/** Subscribe to a backend event. Returns the unsubscribe function. */
export function listen<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return tauriListen<T>(event, (e) => handler(e.payload));
}
