// Turning backend errors into words for a renter.
import type { AppError, ErrorCode, FieldError } from "./ipc";
import { hasKey, t, type MessageKey, type Params } from "./i18n.svelte";
import { lineNumbers } from "./lines";

export interface ErrorText {
  title: string;
  message: string;
  hint: string | null;
  /** "HTTP 500, errcode -1: task is running", when the node said something. */
  nodeReply: string | null;
}

/** One plain title per error code (the backend's own title comes first): catalog keys. */
export const FALLBACK_TITLES: Record<ErrorCode, MessageKey> = {
  validation: "errors.titles.validation",
  auth: "errors.titles.auth",
  not_found: "errors.titles.not_found",
  wrong_state: "errors.titles.wrong_state",
  rejected: "errors.titles.rejected",
  gateway: "errors.titles.gateway",
  timeout: "errors.titles.timeout",
  transport: "errors.titles.transport",
  decode: "errors.titles.decode",
  ambiguous_outcome: "errors.titles.ambiguous_outcome",
  reply_too_large: "errors.titles.reply_too_large",
  redirect: "errors.titles.redirect",
  vault: "errors.titles.vault",
  settings: "errors.titles.settings",
  missing: "errors.titles.missing",
  conflict: "errors.titles.conflict",
  chain: "errors.titles.chain",
  internal: "errors.titles.internal",
};

/** The plain title of an error code in the current language (unknown codes: "internal"'s). */
export function fallbackTitle(code: string): string {
  return t((FALLBACK_TITLES as Partial<Record<string, MessageKey>>)[code] ?? FALLBACK_TITLES.internal);
}

/** The params of a message, as `t` takes them (absent values left out). */
function paramsOf(p: Partial<Record<string, string>> | null | undefined): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(p ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * A field error in the current language: `fieldRules.<rule>` filled with its params (values and
 * the node's words verbatim); Rust's English sentence only for a rule this build does not know.
 */
export function fieldMessage(f: FieldError): string {
  return coded(`fieldRules.${f.rule}`, paramsOf(f.params)) ?? f.message;
}

/** The catalog's message `key` with `params`; null when the key is unknown or a param is missing. */
function coded(key: string, params: Params): string | null {
  if (!hasKey(key)) return null;
  try {
    return t(key, params);
  } catch {
    return null;
  }
}

/** "field: message; …" for errors no form places. */
function fieldList(fields: readonly FieldError[]): string {
  return fields.map((f) => `${f.field}: ${fieldMessage(f)}`).join("; ");
}

/**
 * The error in the current language: Rust sends a key (`errors.<key>.title|message|hint`) and
 * its params; its English words are used only for a key this build does not know (a newer
 * backend), and a code's plain title when even those are missing.
 */
export function formatError(e: AppError): ErrorText {
  const base = `errors.${e.key}`;
  const known = typeof e.key === "string" && hasKey(`${base}.title`);
  const params = paramsOf(e.params);
  // A validation error's message lists its fields: in this language, not Rust's English.
  if (e.fields?.length) params.fields = fieldList(e.fields);
  const title = (known && coded(`${base}.title`, params)) || e.title?.trim() || fallbackTitle(e.code);
  const message = (known && coded(`${base}.message`, params)) || e.message?.trim() || (e.fields?.length ? fieldList(e.fields) : "");
  const hint = known ? coded(`${base}.hint`, params) : e.hint?.trim() || null;
  return {
    title,
    message,
    hint,
    nodeReply: e.reply
      ? `HTTP ${e.reply.status}, errcode ${e.reply.errcode}${e.reply.message ? `: ${e.reply.message}` : ""}`
      : null,
  };
}

/** One line for a toast. */
export function errorLine(e: AppError): string {
  const f = formatError(e);
  return f.message ? `${f.title}: ${f.message}` : f.title;
}

export function isAmbiguous(e: AppError): boolean {
  return e.code === "ambiguous_outcome";
}

/** How a form shows the backend's field errors. */
export interface FieldMap {
  /** Wire name (without `[i]`) → the form's field key; names not listed keep their wire name. */
  keys?: Readonly<Record<string, string>>;
  /**
   * Form key → the textarea's current text: an error on entry `i` of a list (`custom_port[1]`)
   * then reads "line N: …" with N the line as the user sees it (blank lines are not sent).
   */
  lines?: Readonly<Record<string, string>>;
}

/**
 * Field errors (wire names) → form field key → message; the first error of a field wins. A list
 * entry's error (`custom_port[1]`) goes to its list's field as "line 2: …".
 */
export function fieldErrors(fields: readonly FieldError[] | undefined | null, map: FieldMap = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) {
    const m = /^(.*)\[(\d+)\]$/.exec(f.field);
    const wire = m ? m[1] : f.field;
    const key = map.keys?.[wire] ?? wire;
    if (key in out) continue;
    if (m) {
      const i = Number(m[2]);
      const text = map.lines?.[key];
      const n = (text === undefined ? undefined : lineNumbers(text)[i]) ?? i + 1;
      out[key] = t("errors.line", { line: n, message: fieldMessage(f) });
    } else {
      out[key] = fieldMessage(f);
    }
  }
  return out;
}

/** The errors whose field the form does not show (so they can be listed on their own). */
export function unplacedErrors(errors: Readonly<Record<string, string>>, placed: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([k]) => !placed.includes(k))
    .map(([k, v]) => `${k}: ${v}`);
}
