// Starts tauri-driver with fresh XDG dirs, opens a session on the real app, and tears it all down.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Driver, sleep } from "./webdriver.mjs";

export const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const APP = join(process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(REPO, "target"), "debug", process.platform === "win32" ? "dbc-desk.exe" : "dbc-desk");
export const OUT = join(REPO, ".e2e-out");
export const DRIVER_URL = "http://127.0.0.1:4444";

async function driverUp(timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(`${DRIVER_URL}/status`, { signal: AbortSignal.timeout(2000) });
      if (r.ok || r.status === 404 || r.status === 405) return true;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  return false;
}

function killGroup(child, signal) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Whether any process runs the app binary. */
export function appRunning() {
  if (!existsSync(APP)) return false;
  const exe = realpathSync(APP);
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/exe`) === exe) return true;
    } catch {
      // gone, or not ours to read
    }
  }
  return false;
}

/**
 * Launches the app. Returns { d, dirs, shot(name), appInfo(), stop() }.
 * `name` prefixes screenshots and log files.
 */
export async function launch(name, { env = {}, reuseRoot = null, guide = false } = {}) {
  if (!existsSync(APP)) {
    throw new Error(`${APP} not found: run \`npm --prefix ui run build && cargo build --features custom-protocol\` first`);
  }
  mkdirSync(OUT, { recursive: true });
  const root = reuseRoot ?? mkdtempSync(join(tmpdir(), `dbc-desk-e2e-${name}-`));
  const dirs = { root, data: join(root, "data"), config: join(root, "config"), cache: join(root, "cache") };
  for (const p of [dirs.data, dirs.config, dirs.cache]) mkdirSync(p, { recursive: true });

  if (await driverUp(300)) throw new Error("something already listens on 127.0.0.1:4444 (a stale tauri-driver?)");

  const log = openSync(join(OUT, `${name}-driver.log`), "w");
  const child = spawn("tauri-driver", [], {
    env: {
      ...process.env,
      XDG_DATA_HOME: dirs.data,
      XDG_CONFIG_HOME: dirs.config,
      XDG_CACHE_HOME: dirs.cache,
      RUST_BACKTRACE: "1",
      ...env,
    },
    stdio: ["ignore", log, log],
    detached: true,
  });
  const exited = new Promise((r) => child.once("exit", r));
  child.once("error", () => {});

  const d = new Driver(DRIVER_URL);
  let shotN = 0;
  const h = {
    d,
    dirs,
    async shot(label) {
      shotN += 1;
      try {
        await d.screenshot(join(OUT, `${name}-${String(shotN).padStart(2, "0")}-${label}.png`));
      } catch {
        // a failed screenshot must not fail the test
      }
    },
    /** app_info straight from the backend (same IPC the UI uses). */
    async appInfo() {
      const r = await d.executeAsync(
        `const cb = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke("app_info").then((v) => cb({ ok: v }), (e) => cb({ err: e }));`,
      );
      if (r.err) throw new Error(`app_info failed: ${JSON.stringify(r.err)}`);
      return r.ok;
    },
    async stop({ keepDirs = false } = {}) {
      try {
        if (d.sessionId) await h.shot("final");
        await d.deleteSession();
      } catch {
        // ignore
      }
      killGroup(child, "SIGTERM");
      await Promise.race([exited, sleep(3000)]);
      killGroup(child, "SIGKILL");
      await Promise.race([exited, sleep(2000)]);
      // The app holds a single-instance name on the session bus until its process is gone: wait,
      // so the next launch is not taken for a second instance.
      for (let i = 0; i < 50 && appRunning(); i++) await sleep(100);
      if (!keepDirs) rmSync(root, { recursive: true, force: true });
    },
  };

  try {
    if (!(await driverUp(20_000))) throw new Error("tauri-driver did not start (see .e2e-out/*-driver.log)");
    await d.newSession({ alwaysMatch: { "tauri:options": { application: APP } } }, 90_000);
    await d.setTimeouts({ script: 60_000, implicit: 0 }).catch(() => {});
    await d.waitEl('[data-testid="app-name"]', { timeout: 30_000 });
    if (!guide && !reuseRoot) {
      // The first-run guide takes a column of the window; tests of other features start with it
      // finished, as a returning user would (guide.test.mjs covers the guide itself).
      const r = await d.executeAsync(
        `const cb = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke("guide_done", { done: true }).then(() => cb(true), (e) => cb(String(e)));`,
      );
      if (r !== true) throw new Error(`guide_done failed: ${r}`);
      await d.execute("location.reload();");
      await d.waitEl('[data-testid="app-name"]', { timeout: 30_000 });
    }
    await h.shot("started");
  } catch (e) {
    await h.stop();
    throw e;
  }
  return h;
}

/** Sets an input/select/textarea value the way a user edit would (input + change events). */
export function setValue(d, css, value) {
  return d.execute(
    `const el = document.querySelector(arguments[0]);
     if (!el) throw new Error("no element " + arguments[0]);
     el.focus();
     el.value = arguments[1];
     el.dispatchEvent(new Event("input", { bubbles: true }));
     el.dispatchEvent(new Event("change", { bubbles: true }));
     return el.value;`,
    [css, value],
  );
}

export function count(d, css) {
  return d.execute("return document.querySelectorAll(arguments[0]).length;", [css]);
}

export function attr(d, css, name) {
  return d.execute(
    "const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null;",
    [css, name],
  );
}

export function textOf(d, css) {
  return d.execute("const el = document.querySelector(arguments[0]); return el ? el.textContent : null;", [css]);
}
