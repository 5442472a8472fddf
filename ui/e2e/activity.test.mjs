// The activity centre (issue 10.3) against a DBC client of the test's own (a dbc-sim process, so
// its state outlives the app): an image download started in the Images dialog is still followed
// after the dialog closes and after DBC Desk restarts, ends once as done with a message, and
// "Open" leads back to the machine's images.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { APP, count, launch, setValue, textOf } from "./harness.mjs";
import { addSeedWallet, card, gotoFleet } from "./flows.mjs";

const SIM = join(APP, "..", "dbc-sim");
const item = (file) => `[data-testid="activity-item"][data-kind="image_download"][data-object="${file}"]`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let sim;
let h;
let url;
before(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // Speed 2: a download takes a minute, in 10 % steps.
  sim = spawn(SIM, ["--listen", `127.0.0.1:${port}`, "--speed", "2"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${url}/api/v1/image_servers`, { method: "POST", body: "{}" });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
after(async () => {
  await h?.stop();
  sim?.kill();
});

/** The demo configuration's first machine and its rent order (what a renter copies from DBC). */
function alpha() {
  const toml = execFileSync(SIM, ["--print-demo-config"], { encoding: "utf8" });
  const node = /node_id = "([0-9a-f]{64})"/.exec(toml)[1];
  const order = /\[\[machines\.rent_orders\]\]\s*\nid = (\d+)/.exec(toml)[1];
  return { node, order };
}

async function openImages(machineId) {
  const { d } = h;
  await gotoFleet(h, machineId);
  await d.clickCss(`${card(machineId)} [data-testid="machine-menu"]`);
  await d.clickCss(`${card(machineId)} [data-testid="images-open"]`);
  await d.waitEl('[data-testid="images-dialog"]');
}

test("a download is followed after its dialog closes and after a restart, then ends once as done", { timeout: 300_000 }, async () => {
  h = await launch("activity");
  let { d } = h;
  // Connect to the test's own DBC client, add the demo key and the machine by hand.
  await d.clickCss('[data-testid="nav-settings"]');
  await setValue(d, '[data-testid="settings-url"]', url);
  await d.clickCss('[data-testid="settings-save"]');
  await d.waitFor(async () => (await count(d, '[data-testid="demo-banner"]')) === 0, { timeout: 20_000, message: "off the demo network" });
  await addSeedWallet(h);
  const { node, order } = alpha();
  await d.clickCss('[data-testid="nav-machines"]');
  await d.clickCss('[data-testid="machine-add-open"]');
  await setValue(d, '[data-testid="machine-node-id"]', node);
  await setValue(d, '[data-testid="machine-label"]', "alpha");
  await d.clickCss('[data-testid="machine-auth-wallet"]');
  await d.waitEl('[data-testid="machine-wallet"]');
  await setValue(d, '[data-testid="machine-rent-order"]', order);
  await d.clickCss('[data-testid="machine-submit"]');
  const machineId = await d.waitFor(
    () => d.execute('const r = document.querySelector(\'[data-testid="machine-row"]\'); return r && r.dataset.id;'),
    { timeout: 20_000, message: "the machine in the list" },
  );

  // Start a download in the Images dialog, then close the dialog at once.
  await openImages(machineId);
  await d.waitEl('[data-testid="images-server"]', { timeout: 20_000 });
  const file = await d.waitFor(
    () => d.execute('const r = [...document.querySelectorAll(\'[data-testid="image-server-row"][data-on-node="false"]\')].find((x) => x.querySelector(\'[data-testid="image-download"]\')); return r ? r.dataset.name : null;'),
    { timeout: 20_000, message: "an image the machine does not have" },
  );
  await d.clickCss(`[data-testid="image-server-row"][data-name="${file}"] [data-testid="image-download"]`);
  await d.waitEl(`[data-testid="image-transfer"][data-file="${file}"]`, { timeout: 20_000 });
  await d.clickCss('[data-testid="images-dialog-close"]');

  // The activity centre follows it: a running count in the navigation, progress on its page.
  await d.waitFor(async () => (await textOf(d, '[data-testid="activity-running"]'))?.trim() === "1", { timeout: 10_000, message: "one running activity" });
  await d.clickCss('[data-testid="nav-activity"]');
  await d.waitEl(item(file), { timeout: 10_000 });
  const pct = async () => Number.parseInt((await textOf(d, `${item(file)} [data-testid="activity-percent"]`)) ?? "", 10);
  await d.waitFor(async () => (await pct()) >= 10, { timeout: 30_000, message: "some progress with the dialog closed" });
  const before = await pct();
  assert.ok(before < 100, `still running before the restart (${before}%)`);
  await h.shot("activity-running");

  // Quit and start again on the same data: the download is listed and followed to its end.
  const root = h.dirs.root;
  await h.stop({ keepDirs: true });
  h = await launch("activity-restart", { reuseRoot: root });
  d = h.d;
  await d.clickCss('[data-testid="nav-activity"]');
  await d.waitEl(item(file), { timeout: 20_000 });
  assert.equal(await d.execute("return document.querySelector(arguments[0]).dataset.state;", [item(file)]), "running");
  await d.waitFor(async () => (await pct()) > before, { timeout: 60_000, message: "progress after the restart" });
  await d.waitFor(async () => (await d.execute("return document.querySelector(arguments[0]).dataset.state;", [item(file)])) === "done", {
    timeout: 120_000,
    interval: 500,
    message: "the download to finish",
  });
  assert.equal(await pct(), 100);
  // One message for its end.
  const toasts = await d.execute('return [...document.querySelectorAll(\'[data-testid="toast"]\')].map((t) => t.textContent);');
  assert.equal(toasts.filter((t) => /Download image: done/.test(t)).length, 1, JSON.stringify(toasts));
  await h.shot("activity-done");

  // Open leads to the machine's images, where the file now is.
  await d.clickCss(`${item(file)} [data-testid="activity-open"]`);
  await d.waitEl('[data-testid="images-dialog"]', { timeout: 10_000 });
  await d.waitFor(
    () => d.execute("return [...document.querySelectorAll('[data-testid=\"image-node-row\"]')].some((r) => r.dataset.name === arguments[0]);", [file]),
    { timeout: 20_000, message: "the image on the machine" },
  );
});
