// @vitest-environment happy-dom
// (a DOM and Svelte's client runtime: effects run and components mount as in the app)
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import StatusBadge from "./components/StatusBadge.svelte";
import { CATALOGS, format, formatBytes, formatList, formatNumber, formatRelative, locale, resolveLocale, setLocale, t, type Locale } from "./i18n.svelte";
import { countdown } from "../features/rentals/format";
import { statusLabel } from "./status";
import { fieldErrors, formatError } from "./errors";
import type { AppError } from "./ipc";

afterEach(() => setLocale("en"));

describe("locale switch", () => {
  it("re-renders a message when the locale changes (what markup sees)", () => {
    let shown = "";
    const stop = $effect.root(() => {
      $effect(() => {
        shown = t("nav.fleet");
      });
    });
    flushSync();
    expect(shown).toBe("Fleet");
    setLocale("zh-CN");
    flushSync();
    expect(shown).toBe(format("zh-CN", "nav.fleet"));
    expect(shown).not.toBe("Fleet");
    setLocale("ko");
    flushSync();
    expect(shown).toBe(format("ko", "nav.fleet"));
    stop();
  });
  it("a mounted component's text changes with the locale, without remounting", () => {
    const target = document.createElement("div");
    document.body.appendChild(target);
    const badge = mount(StatusBadge, { target, props: { status: "running" } });
    flushSync();
    expect(target.textContent?.trim()).toBe("Running");
    setLocale("zh-CN");
    flushSync();
    expect(target.textContent?.trim()).toBe("运行中");
    setLocale("ko");
    flushSync();
    expect(target.textContent?.trim()).toBe("실행 중");
    unmount(badge);
    target.remove();
  });
  it("plain .ts helpers follow the locale too", () => {
    setLocale("ko");
    expect(statusLabel("running")).toBe(format("ko", "status.running"));
    expect(countdown(3 * 86_400 + 5)).toBe(format("ko", "rentals.countdownDays", { days: 3, time: "00:00:05" }));
    expect(document.documentElement.lang).toBe("ko");
  });
  it("sets <html lang>", () => {
    setLocale("zh-CN");
    expect(locale()).toBe("zh-CN");
    expect(document.documentElement.lang).toBe("zh-CN");
  });
});

describe("plurals and numbers", () => {
  const cases: Record<Locale, [string, string, string]> = {
    en: ["1 VM", "2 VMs", "3 of 10 VMs"],
    "zh-CN": ["1 台虚拟机", "2 台虚拟机", "3 / 10 台虚拟机"],
    ko: ["가상 머신 1개", "가상 머신 2개", "가상 머신 10개 중 3개"],
  };
  for (const [loc, [one, two, some]] of Object.entries(cases) as [Locale, [string, string, string]][]) {
    it(`counts VMs in ${loc}`, () => {
      setLocale(loc);
      expect(t("table.vmCount", { filtered: "no", shown: 1, total: 1 })).toBe(one);
      expect(t("table.vmCount", { filtered: "no", shown: 2, total: 2 })).toBe(two);
      expect(t("table.vmCount", { filtered: "yes", shown: 3, total: 10 })).toBe(some);
    });
  }
  it("English picks one/other", () => {
    expect(t("bulk.title", { action: "Stop", count: 1 })).toBe("Stop: 1 VM");
    expect(t("bulk.title", { action: "Stop", count: 2 })).toBe("Stop: 2 VMs");
    expect(t("machines.rentFound", { count: 1 })).toBe("Found your rent order.");
    expect(t("machines.rentFound", { count: 3 })).toBe("Found 3 rent orders; the newest active one is selected.");
  });
  it("formats numbers with the locale's grouping", () => {
    expect(t("rentals.chainBlock", { block: 1234567 })).toBe("Chain block 1,234,567");
    setLocale("ko");
    expect(formatNumber(1234567)).toBe("1,234,567");
  });
  it("formats sizes, lists and relative times in the current language", () => {
    expect(formatBytes(1_500_000_000)).toBe("1.5 GB");
    expect(formatList(["0", "1", "2"])).toBe("0, 1, 2");
    expect(formatRelative(3 * 3600)).toBe("in 3 hours");
    setLocale("zh-CN");
    expect(formatRelative(3 * 3600)).toBe("3小时后");
    expect(formatList(["0", "1"])).not.toBe("0, 1");
    setLocale("ko");
    expect(formatRelative(3 * 3600)).toBe("3시간 후");
  });
});

describe("languages from the system", () => {
  it("an explicit choice wins; '' follows the system languages", () => {
    expect(resolveLocale("ko", ["zh-CN"])).toBe("ko");
    expect(resolveLocale("", ["zh-TW", "en"])).toBe("zh-CN");
    expect(resolveLocale("", ["ko-KR"])).toBe("ko");
    expect(resolveLocale("", ["fr-FR", "ko"])).toBe("ko");
    expect(resolveLocale("", ["fr-FR"])).toBe("en");
    expect(resolveLocale(undefined, [])).toBe("en");
    expect(resolveLocale("en", ["ko"])).toBe("en");
  });
});

describe("errors in the current language", () => {
  const base: AppError = { code: "timeout", key: "timeout", params: { detail: "no answer from http://127.0.0.1:5002 in time" }, title: "No answer in time", message: "", hint: "Check", reply: null, fields: [] };
  it("an error's key, a field's rule, fallback titles and field lines follow the locale", () => {
    setLocale("zh-CN");
    expect(formatError(base)).toMatchObject({
      title: format("zh-CN", "errors.timeout.title"),
      message: "no answer from http://127.0.0.1:5002 in time",
      hint: format("zh-CN", "errors.timeout.hint"),
    });
    setLocale("ko");
    expect(formatError(base).title).toBe(format("ko", "errors.timeout.title"));
    setLocale("zh-CN");
    const newer = { ...base, key: "newer_key", title: "" } as unknown as AppError;
    expect(formatError(newer).title).toBe(format("zh-CN", "errors.titles.timeout"));
    expect(fieldErrors([{ field: "ports[0]", rule: "r", message: "bad" }]).ports).toBe(format("zh-CN", "errors.line", { line: 1, message: "bad" }));
    const range = { field: "vnc_port", rule: "range", params: { min: "5900", max: "65535" }, message: "must be between 5900 and 65535" };
    expect(fieldErrors([range]).vnc_port).toBe("必须在 5900 到 65535 之间");
  });
  it("a coded error (future Rust `key` + `params`) uses the catalog when it has the key", () => {
    const coded = { ...base, title: "English title", message: "English text", key: "titles", params: {} } as unknown as AppError;
    // `errors.titles.title` does not exist: today's behaviour (Rust's own words)
    expect(formatError(coded).title).toBe("English title");
    const known = { ...base, title: "English title", message: "English text", key: "nope" } as unknown as AppError;
    expect(formatError(known).message).toBe("English text");
  });
  it("uses errors.<key>.title/.message with the error's params when the catalog has them", () => {
    const en = CATALOGS.en as Record<string, string>;
    const zh = CATALOGS["zh-CN"] as Record<string, string>;
    en["errors.node_offline.title"] = "Machine {node} is offline";
    en["errors.node_offline.message"] = "{n, plural, one {# try} other {# tries}}";
    zh["errors.node_offline.title"] = "机器 {node} 离线";
    try {
      const e = { ...base, title: "Rust words", message: "Rust text", key: "node_offline", params: { node: "gpu-1", n: 2 } } as unknown as AppError;
      expect(formatError(e)).toMatchObject({ title: "Machine gpu-1 is offline", message: "2 tries" });
      setLocale("zh-CN");
      expect(formatError(e).title).toBe("机器 gpu-1 离线");
      // no zh message: the English one (from the catalog), not Rust's
      expect(formatError(e).message).toBe("2 tries");
    } finally {
      delete en["errors.node_offline.title"];
      delete en["errors.node_offline.message"];
      delete zh["errors.node_offline.title"];
    }
  });
  it("the node's own reply is shown verbatim in every language", () => {
    setLocale("ko");
    const f = formatError({ ...base, reply: { status: 500, errcode: -1, message: "shutdown timeout" } });
    expect(f.nodeReply).toBe("HTTP 500, errcode -1: shutdown timeout");
  });
});
