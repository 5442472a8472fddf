import { describe, expect, it } from "vitest";
import type { ActivityKind, ActivityState, ConnField, ConnRule, ErrorKey, Strength } from "../lib/ipc";
import en from "./en.json";
import rustKeys from "./rust-keys.json";
import zhCN from "./zh-CN.json";
import ko from "./ko.json";
import { CATALOGS } from "../lib/i18n.svelte";
import { catalogProblems, englishLeft, hardcodedInSvelte, hardcodedInTs, messageArgs, unusedKeys } from "./guards";

// Every source file of the UI, as text (Vite's glob import; no file system access needed).
const sources = import.meta.glob<string>("../**/*.{ts,svelte}", { query: "?raw", import: "default", eager: true });
/** Sources that show things to people: not tests, fixtures, benchmarks, catalogs or generated code. */
const appSources = Object.entries(sources).filter(
  ([p]) => !/\.(test|bench|fixture)\.ts$/.test(p) && !p.startsWith("./") && !p.endsWith("/ipc/bindings.ts"),
);

// ---- keys built at run time ----
// `t(\`vm.connField.${field}\`)` and friends: the literal key never appears in the source, so
// the prefix is listed here and the keys under it must cover the union type they map.
const CONN_FIELDS = ["ssh_ip", "ssh_port", "rdp_port", "vnc_port", "user_name"] as const satisfies readonly ConnField[];
const CONN_RULES = ["empty", "control", "not_ascii", "leading_dash", "space", "char", "too_long", "label", "range"] as const satisfies readonly ConnRule[];
type Weakness = Strength["weaknesses"][number];
const WEAKNESSES = ["too_short", "one_kind", "repeats", "sequence", "common"] as const satisfies readonly Weakness[];
const ACTIVITY_KINDS = ["vm_create", "vm_start", "vm_shutdown", "vm_poweroff", "vm_restart", "vm_reset", "vm_delete", "disk_add", "disk_resize", "snapshot_create", "image_download", "image_upload", "lan_create"] as const satisfies readonly ActivityKind[];
const ACTIVITY_STATES = ["running", "done", "failed", "stopped_checking", "stopped"] as const satisfies readonly ActivityState[];
// Compile-time: each list names every member of its union (a new member fails `npm run check`).
const complete: [Exclude<ConnField, (typeof CONN_FIELDS)[number]>, Exclude<ConnRule, (typeof CONN_RULES)[number]>, Exclude<Weakness, (typeof WEAKNESSES)[number]>] extends [never, never, never] ? true : false = true;
const completeActivity: [Exclude<ActivityKind, (typeof ACTIVITY_KINDS)[number]>, Exclude<ActivityState, (typeof ACTIVITY_STATES)[number]>] extends [never, never] ? true : false = true;
// Every key Rust can send (written by the Rust test `export_rust_keys`): an error's
// `errors.<key>.title|message|hint` and a field error's `fieldRules.<rule>`.
type RustText = { title: string; message: string; hint?: string };
const RUST_ERRORS: Record<string, RustText> = rustKeys.errors;
const RUST_RULES: Record<string, string> = rustKeys.fieldRules;
// Compile-time: the error keys of the generated bindings are exactly those of rust-keys.json.
const completeRust: [Exclude<ErrorKey, keyof typeof rustKeys.errors>, Exclude<keyof typeof rustKeys.errors, ErrorKey>] extends [never, never] ? true : false = true;
const DYNAMIC: Record<string, readonly string[]> = {
  "fieldRules.": Object.keys(RUST_RULES),
  ...Object.fromEntries(Object.entries(RUST_ERRORS).map(([k, v]) => [`errors.${k}.`, Object.keys(v)])),
  "vm.connField.": CONN_FIELDS,
  "vm.connRule.": CONN_RULES,
  "vault.weakness.": WEAKNESSES,
  "activity.kinds.": ACTIVITY_KINDS,
  "activity.states.": ACTIVITY_STATES,
};

describe("catalogs", () => {
  it("zh-CN and ko have exactly the English keys, none empty, every message parses with the same placeholders", () => {
    expect(catalogProblems(en, { "zh-CN": zhCN, ko })).toEqual([]);
  });
  it("the parity check fails on a missing key, an empty value, a bad message or a renamed placeholder", () => {
    const base = { a: { b: "Hello {name}", c: "{n, plural, one {# VM} other {# VMs}}", d: "x" } };
    const bad = { a: { b: "你好 {nom}", c: "{n, plural, other {# 台", e: "extra", d: " " } };
    const p = catalogProblems(base, { xx: bad });
    expect(p).toContain("xx: a.b has {nom}, English has {name}");
    expect(p.some((x) => x.startsWith("xx: a.c does not parse"))).toBe(true);
    expect(p).toContain("xx: extra a.e");
    expect(p).toContain("xx: a.d is empty");
    expect(catalogProblems(base, { xx: { a: { b: "{name}", c: "{n}" } } })).toContain("xx: missing a.d");
  });
  it("zh-CN and ko leave no English words (names such as DBC, SSH, GPU and example values aside)", () => {
    for (const loc of ["zh-CN", "ko"] as const) {
      const left = Object.entries(CATALOGS[loc]).flatMap(([k, v]) => englishLeft(v).map((w) => `${k}: ${w}`));
      expect(left, loc).toEqual([]);
    }
  });
  it("the English check fails on an untranslated word and passes names, examples and ICU syntax", () => {
    expect(englishLeft("{n, plural, other {# 台虚拟机}} · SSH `sudo growpart` tcp,8080 wss://x.io")).toEqual([]);
    expect(englishLeft("已选择 {count} 台 Loading")).toEqual(["Loading"]);
  });
  it("reads placeholders inside plurals and selects", () => {
    expect(messageArgs("{a, select, yes {{b} of {c}} other {{d, plural, one {# x} other {# y}}}}")).toEqual(["a", "b", "c", "d"]);
  });
});

describe("Rust's keys", () => {
  it("every error key Rust can send has its title, message (and hint when Rust gives one) in every catalog", () => {
    expect(completeRust).toBe(true);
    const missing: string[] = [];
    for (const [loc, cat] of Object.entries(CATALOGS)) {
      for (const [k, v] of Object.entries(RUST_ERRORS)) {
        for (const part of ["title", "message", "hint"] as const) {
          const has = `errors.${k}.${part}` in cat;
          if (has !== (v[part] !== undefined)) missing.push(`${loc}: errors.${k}.${part} ${has ? "is extra" : "is missing"}`);
        }
      }
      for (const r of Object.keys(RUST_RULES)) if (!(`fieldRules.${r}` in cat)) missing.push(`${loc}: fieldRules.${r} is missing`);
    }
    expect(missing).toEqual([]);
  });
  it("the English catalog has Rust's English words, placeholder for placeholder", () => {
    const differ: string[] = [];
    for (const [k, v] of Object.entries(RUST_ERRORS)) {
      for (const part of ["title", "message", "hint"] as const) {
        const en = CATALOGS.en[`errors.${k}.${part}`];
        if (v[part] !== undefined && en !== v[part]) differ.push(`errors.${k}.${part}: ${JSON.stringify(en)} ≠ ${JSON.stringify(v[part])}`);
      }
    }
    for (const [r, v] of Object.entries(RUST_RULES)) {
      if (CATALOGS.en[`fieldRules.${r}`] !== v) differ.push(`fieldRules.${r}: ${JSON.stringify(CATALOGS.en[`fieldRules.${r}`])} ≠ ${JSON.stringify(v)}`);
    }
    expect(differ).toEqual([]);
  });
});

describe("keys", () => {
  it("every English key is used by the UI", () => {
    expect(complete).toBe(true);
    expect(completeActivity).toBe(true);
    // `native.*` is read by Rust (menu bar, OS notifications); a Rust test checks those are used
    const keys = Object.keys(CATALOGS.en).filter((k) => !k.startsWith("native."));
    expect(unusedKeys(keys, appSources.map(([, s]) => s), Object.keys(DYNAMIC))).toEqual([]);
  });
  it("the keys under each dynamic prefix are exactly the members of its union", () => {
    for (const [prefix, members] of Object.entries(DYNAMIC)) {
      const keys = Object.keys(CATALOGS.en).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
      expect(keys.sort(), prefix).toEqual([...members].sort());
    }
  });
  it("the unused-key check fails on a key nothing mentions", () => {
    expect(unusedKeys(["a.used", "a.unused", "dyn.x"], ['t("a.used")'], ["dyn."])).toEqual(["a.unused"]);
  });
});

describe("no hard-coded words", () => {
  it("no .svelte markup shows literal words or literal title/placeholder/aria-label/alt", () => {
    const bad = appSources.filter(([p]) => p.endsWith(".svelte")).map(([p, s]) => [p, hardcodedInSvelte(s)] as const).filter(([, w]) => w.length);
    expect(bad).toEqual([]);
  });
  it("no .ts module or <script> holds a sentence outside the catalogs", () => {
    const bad = appSources
      .map(([p, s]) => [p, hardcodedInTs(p.endsWith(".svelte") ? [...s.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("\n") : s)] as const)
      .filter(([, w]) => w.length);
    expect(bad).toEqual([]);
  });
  it("the markup check fails on text, a literal attribute, and passes expressions and allowed names", () => {
    const sample = `<script>const x = "{not markup}";</script>
<p class="muted">Loading…</p>
<button title="Close it" aria-label={t("common.close")}>{t("common.close")}</button>
<input placeholder="Type here" />
<input placeholder="/data" /><option value="linux">Linux</option>
<span>{a ? \`\${b} {c}\` : "d"} · —</span>`;
    expect(hardcodedInSvelte(sample)).toEqual(['title="Close it"', 'placeholder="Type here"', "Loading"]);
  });
  it("the script check fails on sentences and passes keys, classes and comments", () => {
    const sample = `// A comment with many words in it
const a = t("fleet.title"); const cls = "small ghost"; const s = "being shutdown";
notify("Encrypted file ready"); e.name = "paste the seed"; const u = \`Wallet: \${name} here\`;`;
    expect(hardcodedInTs(sample)).toEqual(["Encrypted file ready", "paste the seed", "Wallet:   here"]);
  });
});
