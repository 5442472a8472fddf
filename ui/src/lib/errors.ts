// Turning backend errors into words for a renter.
import type { AppError, ErrorCode, FieldError } from "./ipc";
import { t } from "./i18n";
import { lineNumbers } from "./lines";

export interface ErrorText {
  title: string;
  message: string;
  hint: string | null;
  /** "HTTP 500, errcode -1: task is running", when the node said something. */
  nodeReply: string | null;
}

/** One plain title per error code (the backend's own title comes first). */
export const FALLBACK_TITLES: Record<ErrorCode, string> = {
  validation: "Some fields need attention",
  auth: "The machine did not accept your signature",
  not_found: "The node does not know this",
  wrong_state: "The VM is not in a state that allows this",
  rejected: "The node refused the request",
  gateway: "The DBC network could not reach the machine",
  timeout: "The machine took too long to answer",
  transport: "Could not reach the DBC client",
  decode: "The node answered something DBC Desk does not understand",
  ambiguous_outcome: t.ambiguous,
  reply_too_large: "The reply was too large to read",
  redirect: "The client address redirects elsewhere",
  vault: "Your wallet keys are not available",
  settings: "Settings problem",
  missing: "This wallet or machine is not set up in DBC Desk",
  conflict: "This is still in use",
  chain: "The DBC chain could not be read",
  internal: "Something went wrong inside DBC Desk",
};

export function formatError(e: AppError): ErrorText {
  // A code this build does not know (a newer backend) still gets a title.
  const title = e.title?.trim() || (FALLBACK_TITLES as Partial<Record<string, string>>)[e.code] || FALLBACK_TITLES.internal;
  const message =
    e.message?.trim() ||
    (e.fields?.length ? e.fields.map((f) => `${f.field}: ${f.message}`).join("; ") : "");
  return {
    title,
    message,
    hint: e.hint?.trim() || null,
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
      out[key] = `line ${n}: ${f.message}`;
    } else {
      out[key] = f.message;
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
