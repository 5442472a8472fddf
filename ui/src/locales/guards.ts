// Checks behind src/locales/i18n.test.ts: catalog parity, unused keys and hard-coded words.
// Pure functions (sources come in as strings), so each can be fed a bad sample to prove it fails.
import { IntlMessageFormat } from "intl-messageformat";

type Tree = { readonly [k: string]: string | Tree };

// ---- catalogs ----

/** The `{argument}` names of an ICU message (plural `#` is not an argument). Throws if it does not parse. */
export function messageArgs(msg: string): string[] {
  const out = new Set<string>();
  const walk = (els: readonly unknown[]) => {
    for (const el of els as { type: number; value?: unknown; options?: Record<string, { value: unknown[] }>; children?: unknown[] }[]) {
      // literal = 0, pound = 7; the rest name an argument in `value` (tags have `children`)
      if (el.type !== 0 && el.type !== 7 && typeof el.value === "string") out.add(el.value);
      if (el.options) for (const o of Object.values(el.options)) walk(o.value);
      if (el.children) walk(el.children);
    }
  };
  walk(new IntlMessageFormat(msg, "en", undefined, { ignoreTag: true }).getAst());
  return [...out].sort();
}

function flat(tree: Tree, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out[prefix + k] = v;
    else if (v && typeof v === "object") flat(v, `${prefix}${k}.`, out);
    else out[prefix + k] = v as unknown as string; // a number or null: reported below
  }
  return out;
}

/**
 * Problems of `others` compared with `base` (English): missing or extra keys, empty values,
 * messages that do not parse, and placeholders that differ from the English ones.
 */
export function catalogProblems(base: Tree, others: Record<string, Tree>): string[] {
  const problems: string[] = [];
  const en = flat(base);
  const check = (name: string, cat: Record<string, string>) => {
    for (const [k, v] of Object.entries(cat)) {
      if (typeof v !== "string" || v.trim() === "") problems.push(`${name}: ${k} is empty`);
      else {
        try {
          messageArgs(v);
        } catch (e) {
          problems.push(`${name}: ${k} does not parse (${String(e)})`);
        }
      }
    }
  };
  check("en", en);
  for (const [name, tree] of Object.entries(others)) {
    const cat = flat(tree);
    for (const k of Object.keys(en)) if (!(k in cat)) problems.push(`${name}: missing ${k}`);
    for (const k of Object.keys(cat)) if (!(k in en)) problems.push(`${name}: extra ${k}`);
    check(name, cat);
    for (const [k, v] of Object.entries(cat)) {
      if (!(k in en) || typeof v !== "string") continue;
      try {
        const a = messageArgs(en[k]).join(",");
        const b = messageArgs(v).join(",");
        if (a !== b) problems.push(`${name}: ${k} has {${b}}, English has {${a}}`);
      } catch {
        // reported above
      }
    }
  }
  return problems;
}

/** The words of a message a person reads (ICU syntax, argument names and keywords left out). */
export function literalText(msg: string): string {
  let out = "";
  const walk = (els: readonly unknown[]) => {
    for (const el of els as { type: number; value?: unknown; options?: Record<string, { value: unknown[] }>; children?: unknown[] }[]) {
      if (el.type === 0 && typeof el.value === "string") out += el.value;
      else out += " ";
      if (el.options) for (const o of Object.values(el.options)) walk(o.value);
      if (el.children) walk(el.children);
    }
  };
  walk(new IntlMessageFormat(msg, "en", undefined, { ignoreTag: true }).getAst());
  return out;
}

/**
 * Latin-script words a translation may keep: product, protocol and format names every language
 * writes the same way. Example values ("tcp,8080", URLs, `commands`) are skipped before this.
 */
export const LATIN_ALLOWED = new Set([
  "DBC", "DeepBrainChain", "Desk", "SSH", "RDP", "VNC", "GPU", "CPU", "IP", "LAN", "UEFI", "BIOS", "PXE", "JSON", "JSON-RPC", "HTTP", "URL", "TERMINAL",
  "TLS", "CIDR", "ASCII", "XFS", "ID", "GB", "polkadot.js", "Linux", "Windows", "virtio",
  "abcd", // the example of a letter run in vault.weakness.sequence
  "MiB", "KiB", "SS58", // units and formats in error messages
  "tcp", "udp", "linux", "windows", "legacy", "uefi", "pxe", "vda", "vdb", "vdc", "start", // values a form takes as typed
  "N", "FROM-TO", // the port forward grammar (fieldRules.port_forward_ports)
  "dbc", // the command-line tool
]);

/** English words left in a translation (outside examples and the allowed names). */
export function englishLeft(msg: string): string[] {
  const text = literalText(msg)
    .replace(/`[^`]*`/g, " ") // commands
    .replace(/\S*:\/\/\S*/g, " ") // addresses
    .replace(/\S*[0-9,/:]\S*/g, " "); // examples such as tcp,8080 or //hard/soft
  return (text.match(/[A-Za-z][A-Za-z.-]*[A-Za-z]|[A-Za-z]/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w));
}

// ---- unused keys ----

/**
 * Keys no source mentions: a key counts as used when it appears as a whole string literal
 * ("fleet.title") or when it starts with one of `dynamicPrefixes` (built at run time, e.g.
 * `vm.connField.${field}`; the test checks those cover their union types).
 */
export function unusedKeys(keys: readonly string[], sources: readonly string[], dynamicPrefixes: readonly string[] = []): string[] {
  const text = sources.join("\n");
  return keys.filter((k) => {
    if (dynamicPrefixes.some((p) => k.startsWith(p))) return false;
    return !text.includes(`"${k}"`) && !text.includes(`'${k}'`) && !text.includes(`\`${k}\``);
  });
}

// ---- hard-coded words ----

/**
 * Words that may stand in markup as they are: product and protocol names, which every language
 * writes the same way. Everything else a person reads goes through `t()`.
 */
export const MARKUP_ALLOWED = new Set([
  "Linux", // OS choice in the New VM form
  "Windows",
  "UEFI", // boot mode
  "e1000", // network card models
  "rtl8139",
  "v", // "v1.2.3" before the app version
]);

/** Blanks out `{…}` expressions (nested braces and quoted strings inside them included). */
function stripExpressions(markup: string): string {
  let out = "";
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < markup.length; i++) {
    const c = markup[i];
    if (depth === 0) {
      if (c === "{") depth = 1;
      out += c === "{" ? " " : c;
      continue;
    }
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{") depth++;
    else if (c === "}") depth--;
    out += c === "\n" ? "\n" : " ";
  }
  return out;
}

const LETTER = /\p{L}/u;
const WORDS = /[\p{L}\p{N}]*\p{L}[\p{L}\p{N}]*/gu;

/** Visible words in a .svelte file's markup, and titles/placeholders/labels written literally. */
export function hardcodedInSvelte(source: string): string[] {
  const found: string[] = [];
  const markup = stripExpressions(
    source
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<style[\s\S]*?<\/style>/g, "")
      .replace(/<!--[\s\S]*?-->/g, ""),
  );
  for (const m of markup.matchAll(/<[^>]*>/g)) {
    for (const a of m[0].matchAll(/\b(title|placeholder|aria-label|alt)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      const v = a[3] ?? a[4] ?? "";
      // An example value ("/data", "http://127.0.0.1:5000", "in,tcp,22,…") is data, not words.
      const example = !/\s/.test(v) && /[/.:,@0-9]/.test(v);
      if (LETTER.test(v) && !example) found.push(`${a[1]}="${v}"`);
    }
  }
  const text = markup.replace(/<[^>]*>/g, "\n");
  for (const w of text.match(WORDS) ?? []) if (!MARKUP_ALLOWED.has(w)) found.push(w);
  return found;
}

/**
 * String literals of a TS source, comments left out (template literals keep their text parts).
 * A small scanner, enough for this code base: quotes, comments and `${…}` nesting.
 */
export function stringLiterals(source: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = source.length;
  const readQuoted = (q: string): string => {
    let s = "";
    i++;
    while (i < n && source[i] !== q) {
      if (source[i] === "\\") {
        s += source[i + 1] ?? "";
        i += 2;
        continue;
      }
      if (q === "`" && source[i] === "$" && source[i + 1] === "{") {
        // skip the expression, keep scanning the template after it
        let depth = 1;
        i += 2;
        s += " ";
        while (i < n && depth > 0) {
          const c = source[i];
          if (c === '"' || c === "'" || c === "`") {
            out.push(readQuoted(c));
            i++;
            continue;
          }
          if (c === "{") depth++;
          else if (c === "}") depth--;
          i++;
        }
        continue;
      }
      s += source[i];
      i++;
    }
    return s;
  };
  while (i < n) {
    const c = source[i];
    if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'" || c === "`") {
      out.push(readQuoted(c));
      i++;
    } else i++;
  }
  return out;
}

/**
 * Literals that read like words for a person: a capitalised word followed by more words
 * ("Demo wallet"), or three words or more ("paste the seed"). Catalog keys, CSS classes, test
 * ids and protocol words are single tokens and pass.
 */
export const SENTENCE = /(^|[^\w.-])([A-Z][a-z]+[:,]? +[a-z]+|[A-Za-z]+ [a-z]+ [a-z]+)/;

/** Literals that look like node data or machine syntax, not words (kept out on purpose). */
export const TS_ALLOWED = new Set<string>([
  // VM statuses as the node writes them (status.ts compares against these)
  "being shutdown",
  "being poweroff",
  "disk resizing",
  "disk adding",
  "disk deleting",
  "snapshot creating",
]);

export function hardcodedInTs(source: string): string[] {
  return stringLiterals(source).filter((s) => !TS_ALLOWED.has(s) && SENTENCE.test(s));
}
