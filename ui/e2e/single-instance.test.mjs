// A second launch hands over to the first (tauri-plugin-single-instance) and exits, so two
// copies never write the same settings and wallet file.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { APP, launch } from "./harness.mjs";

let h;
before(async () => {
  h = await launch("single-instance");
});
after(async () => {
  await h?.stop();
});

test("a second launch exits at once and the first keeps running", { timeout: 60_000 }, async () => {
  const second = spawn(APP, [], {
    env: { ...process.env, XDG_DATA_HOME: h.dirs.data, XDG_CONFIG_HOME: h.dirs.config, XDG_CACHE_HOME: h.dirs.cache },
    stdio: "ignore",
  });
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => {
      second.kill("SIGKILL");
      resolve("still running after 20 s");
    }, 20_000);
    second.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.equal(code, 0, "the second instance hands over and exits cleanly");
  const info = await h.appInfo();
  assert.ok(info.version, "the first instance still answers");
});
