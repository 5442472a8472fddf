// Turning backend errors into words for a renter.
import type { AppError, FieldError } from "./ipc";
import { t } from "./i18n";

export interface ErrorText {
  title: string;
  message: string;
  hint: string | null;
  /** "HTTP 500, errcode -1: task is running", when the node said something. */
  nodeReply: string | null;
}

const FALLBACK_TITLES: Record<string, string> = {
  validation: "Some fields need attention",
  auth: "The machine did not accept your signature",
  not_found: "Not found",
  wrong_state: "The VM is not in a state that allows this",
  rejected: "The node refused the request",
  gateway: "The DBC network could not reach the machine",
  timeout: "The machine took too long to answer",
  transport: "Could not reach the DBC client",
  decode: "The node answered something DBC Desk does not understand",
  ambiguous_outcome: t.ambiguous,
  vault: "Your wallet keys are not available",
  settings: "Settings problem",
  internal: "Something went wrong inside DBC Desk",
};

export function formatError(e: AppError): ErrorText {
  const title = e.title?.trim() || FALLBACK_TITLES[e.code] || FALLBACK_TITLES.internal;
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

/** field wire name → message (first one wins); `custom_port[1]` also counts for `custom_port`. */
export function fieldErrors(fields: readonly FieldError[] | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) {
    if (!(f.field in out)) out[f.field] = f.message;
    const base = f.field.replace(/\[\d+\]$/, "");
    if (base !== f.field && !(base in out)) out[base] = `${f.field.slice(base.length)} ${f.message}`.trim();
  }
  return out;
}
