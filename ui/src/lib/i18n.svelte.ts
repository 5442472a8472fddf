// Every word the UI shows, in English, 简体中文 and 한국어 (catalogs in src/locales/*.json).
// Library: intl-messageformat (FormatJS) — maintained, small, framework-free, and speaks ICU
// MessageFormat (plurals, select, number/date arguments) that translators and CAT tools know.
// The current locale is a Svelte 5 `$state`: `t(...)` in markup re-renders on a switch, and the
// same `t` works in plain .ts modules. Compiled messages are cached per locale + key.
import { IntlMessageFormat } from "intl-messageformat";
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";
import ko from "../locales/ko.json";

export const LOCALES = ["en", "zh-CN", "ko"] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language in its own name (the Settings select). */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文", ko: "한국어" };

type Tree = { readonly [k: string]: string | Tree };
type Paths<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}` }[keyof T & string];
/** A key of en.json, dotted ("fleet.title"); a typo fails `npm run check`. */
export type MessageKey = Paths<typeof en>;
/** Values of a message's `{placeholders}`. */
export type Params = Record<string, string | number | Date | null | undefined>;

/** Nested catalog → { "a.b.c": message }. */
export function flatten(tree: Tree, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out[prefix + k] = v;
    else flatten(v, `${prefix}${k}.`, out);
  }
  return out;
}

export const CATALOGS: Record<Locale, Readonly<Record<string, string>>> = {
  en: flatten(en),
  "zh-CN": flatten(zhCN),
  ko: flatten(ko),
};

const current = $state({ locale: "en" as Locale });

/** The language the UI speaks now (reactive). */
export function locale(): Locale {
  return current.locale;
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/**
 * The saved preference → a locale. "" (or anything unknown) follows the system's languages:
 * zh* → zh-CN, ko* → ko, else en.
 */
export function resolveLocale(pref: string | null | undefined, languages: readonly string[] = systemLanguages()): Locale {
  if (isLocale(pref)) return pref;
  for (const l of languages) {
    const x = l.toLowerCase();
    if (x === "en" || x.startsWith("en-")) return "en";
    if (x === "zh" || x.startsWith("zh-")) return "zh-CN";
    if (x === "ko" || x.startsWith("ko-")) return "ko";
  }
  return "en";
}

function systemLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

/** Switch the UI's language now (and `<html lang>`). */
export function setLocale(l: Locale): void {
  current.locale = l;
  if (typeof document !== "undefined") document.documentElement.lang = l;
}

/** Apply the `language` preference ("" = system language). */
export function applyLanguagePref(pref: string | null | undefined): Locale {
  const l = resolveLocale(pref);
  setLocale(l);
  return l;
}

// Not reactive on purpose: a cache, never read by markup.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const compiled = new Map<string, IntlMessageFormat>();

function compile(loc: Locale, key: string): IntlMessageFormat | null {
  const id = `${loc}\u0000${key}`;
  let mf = compiled.get(id);
  if (mf) return mf;
  const own = CATALOGS[loc][key];
  const msg = own ?? CATALOGS.en[key];
  if (msg === undefined) return null;
  // ignoreTag: "<" in a message is text, not rich-text markup.
  mf = new IntlMessageFormat(msg, own === undefined ? "en" : loc, undefined, { ignoreTag: true });
  compiled.set(id, mf);
  return mf;
}

/** The message `key` in locale `loc` (English when missing there; the key itself when unknown). */
export function format(loc: Locale, key: string, params?: Params): string {
  const mf = compile(loc, key);
  if (!mf) return key;
  const out = mf.format(params as Record<string, string | number | Date | null | undefined>);
  return Array.isArray(out) ? out.join("") : String(out);
}

/** A message in the current language: `t("fleet.title")`, `t("table.vmCount", { shown, total })`. */
export function t(key: MessageKey, params?: Params): string {
  return format(current.locale, key, params);
}

/** Whether the catalog has `key` (for keys built at run time, e.g. from a backend code). */
export function hasKey(key: string): key is MessageKey {
  return key in CATALOGS.en;
}

// ---- numbers, sizes, dates and lists in the current language ----

export function formatNumber(n: number, o?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(current.locale, o).format(n);
}

/** 0.37 → "37%" (zh "37%", ko "37%"). */
export function formatPercent(fraction: number): string {
  return formatNumber(fraction, { style: "percent", maximumFractionDigits: 0 });
}

/** Bytes → "1.5 GB" with the locale's digits (decimal units, as the node reports sizes). */
export function formatBytes(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"];
  let v = Math.max(0, bytes);
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return formatNumber(v, { style: "unit", unit: units[i], unitDisplay: "short", maximumFractionDigits: v < 10 && i > 0 ? 1 : 0 });
}

/** A date and time in the current language. */
export function formatDateTime(d: Date | number, o: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }): string {
  return new Intl.DateTimeFormat(current.locale, o).format(d);
}

/** "in 3 hours" / "3 小时后" / "3시간 후". */
export function formatRelative(seconds: number): string {
  const rtf = new Intl.RelativeTimeFormat(current.locale, { numeric: "auto" });
  const a = Math.abs(seconds);
  if (a < 60) return rtf.format(Math.round(seconds), "second");
  if (a < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (a < 86_400) return rtf.format(Math.round(seconds / 3600), "hour");
  return rtf.format(Math.round(seconds / 86_400), "day");
}

/** ["a", "b", "c"] → "a, b, c" (zh "a、b、c"). */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(current.locale, { style: "short", type: "unit" }).format(items);
}
