// A small W3C WebDriver client on Node's fetch. Every HTTP call carries an AbortSignal timeout.
import { writeFile } from "node:fs/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class WebDriverError extends Error {
  constructor(error, message, status) {
    super(`${error}: ${message}`);
    this.error = error;
    this.status = status;
  }
}

export class Driver {
  constructor(base = "http://127.0.0.1:4444", { callTimeoutMs = 30_000 } = {}) {
    this.base = base;
    this.callTimeoutMs = callTimeoutMs;
    this.sessionId = null;
  }

  async http(method, path, body, timeoutMs = this.callTimeoutMs) {
    const res = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new WebDriverError("bad response", text.slice(0, 200), res.status);
    }
    const value = json.value;
    if (!res.ok || (value && typeof value === "object" && typeof value.error === "string")) {
      throw new WebDriverError(value?.error ?? `HTTP ${res.status}`, value?.message ?? text.slice(0, 200), res.status);
    }
    return value;
  }

  s(path) {
    if (!this.sessionId) throw new Error("no WebDriver session");
    return `/session/${this.sessionId}${path}`;
  }

  async newSession(capabilities, timeoutMs = 60_000) {
    const v = await this.http("POST", "/session", { capabilities }, timeoutMs);
    this.sessionId = v.sessionId;
    return v;
  }

  async deleteSession() {
    if (!this.sessionId) return;
    try {
      await this.http("DELETE", this.s(""), undefined, 10_000);
    } finally {
      this.sessionId = null;
    }
  }

  async find(css) {
    const v = await this.http("POST", this.s("/element"), { using: "css selector", value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.http("POST", this.s("/elements"), { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  click(el) {
    return this.http("POST", this.s(`/element/${el}/click`), {});
  }

  sendKeys(el, text) {
    return this.http("POST", this.s(`/element/${el}/value`), { text });
  }

  text(el) {
    return this.http("GET", this.s(`/element/${el}/text`));
  }

  attribute(el, name) {
    return this.http("GET", this.s(`/element/${el}/attribute/${encodeURIComponent(name)}`));
  }

  enabled(el) {
    return this.http("GET", this.s(`/element/${el}/enabled`));
  }

  /**
   * Presses keys as the user does (WebDriver actions): each item is a key ("\uE004" = Tab,
   * "\uE00C" = Escape, "?" …) or an array pressed together (["\uE008", "\uE004"] = Shift+Tab).
   */
  async press(...keys) {
    const actions = [];
    for (const k of keys) {
      const chord = Array.isArray(k) ? k : [k];
      for (const c of chord) actions.push({ type: "keyDown", value: c });
      for (const c of [...chord].reverse()) actions.push({ type: "keyUp", value: c });
    }
    await this.http("POST", this.s("/actions"), { actions: [{ type: "key", id: "keyboard", actions }] });
    await this.http("DELETE", this.s("/actions")).catch(() => {});
  }

  execute(script, args = []) {
    return this.http("POST", this.s("/execute/sync"), { script, args });
  }

  /** The script gets a callback as its last argument. */
  executeAsync(script, args = [], timeoutMs = 30_000) {
    return this.http("POST", this.s("/execute/async"), { script, args }, timeoutMs + 5_000);
  }

  setTimeouts(t) {
    return this.http("POST", this.s("/timeouts"), t);
  }

  async screenshot(file) {
    const b64 = await this.http("GET", this.s("/screenshot"), undefined, 20_000);
    await writeFile(file, Buffer.from(b64, "base64"));
  }

  /** Polls `fn` until it returns a truthy value (errors count as "not yet"). */
  async waitFor(fn, { timeout = 15_000, interval = 250, message = "condition" } = {}) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const v = await fn();
        if (v) return v;
      } catch (e) {
        if (e.fatal) throw e;
        last = e;
      }
      if (Date.now() > end) {
        throw new Error(`timed out after ${timeout} ms waiting for ${message}${last ? ` (last error: ${last.message})` : ""}`);
      }
      await sleep(interval);
    }
  }

  /** Waits for an element matching css (and optionally enabled), returns its id. */
  waitEl(css, { timeout = 15_000, enabled = false } = {}) {
    return this.waitFor(
      async () => {
        const el = await this.find(css);
        if (enabled && !(await this.enabled(el))) return null;
        return el;
      },
      { timeout, message: `${css}${enabled ? " (enabled)" : ""}` },
    );
  }

  async clickCss(css, opts) {
    const el = await this.waitEl(css, { enabled: true, ...opts });
    await this.click(el);
    return el;
  }

  async typeCss(css, text, opts) {
    const el = await this.waitEl(css, opts);
    await this.sendKeys(el, text);
    return el;
  }
}
