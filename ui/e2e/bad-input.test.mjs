// b. A bad VNC port is caught next to its field and nothing is sent. Plus: sharing a session
// and a bad client URL in Settings (same app run, to save start-ups).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { attr, count, launch, setValue, textOf } from "./harness.mjs";
import { addDemoMachine, addSeedWallet, card, gotoFleet } from "./flows.mjs";
import { sleep } from "./webdriver.mjs";

let h;
let machineId;
before(async () => {
  h = await launch("bad-input");
});
after(async () => {
  await h?.stop();
});

async function simTaskCount(nodeId) {
  const info = await h.appInfo();
  if (!info.demo) return null;
  const r = await fetch(`${new URL(info.demo.url).origin}/__sim/machines/${encodeURIComponent(nodeId)}`, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) return null;
  const j = await r.json();
  return j.result?.tasks?.length ?? null;
}

test("b. vnc_port 80 shows a field error next to the VNC port and creates nothing", { timeout: 180_000 }, async () => {
  const { d } = h;
  await addSeedWallet(h);
  const added = await addDemoMachine(h);
  machineId = added.id;
  const nodeId = added.nodeId;
  await gotoFleet(h, machineId);
  await sleep(500);
  const rowsBefore = await count(d, '[data-testid="vm-row"]');
  const simBefore = await simTaskCount(nodeId);

  await d.clickCss(`${card(machineId)} [data-testid="new-vm"]`);
  await d.waitEl('[data-testid="create-form"]');
  await setValue(d, '[data-testid="create-vnc-port"]', "80");
  await d.clickCss('[data-testid="create-submit"]');
  await d.waitEl('[data-testid="field-error-vnc_port"]', { timeout: 10_000 });
  await h.shot("vnc-port-error");
  assert.match((await textOf(d, '[data-testid="field-error-vnc_port"]')) ?? "", /5900/);
  const nextToField = await d.execute(
    'const e = document.querySelector(\'[data-testid="field-error-vnc_port"]\'); const l = e && e.closest("label"); return !!(l && l.querySelector(\'[data-testid="create-vnc-port"]\'));',
  );
  assert.equal(nextToField, true, "the error is rendered in the VNC port field's label");
  assert.equal(await count(d, '[data-testid="create-form"]'), 1, "the form stays open");

  await sleep(2500); // a poll or two
  assert.equal(await count(d, '[data-testid="vm-row"]'), rowsBefore, "no VM row was added");
  const simAfter = await simTaskCount(nodeId);
  if (simBefore !== null) assert.equal(simAfter, simBefore, "the simulator got no VM");
});

test("share access shows a session id and signature with copy buttons and a warning", { timeout: 60_000 }, async () => {
  const { d } = h;
  assert.ok(machineId, "needs the machine from the previous test");
  await d.clickCss('[data-testid="create-cancel"]').catch(() => {});
  await gotoFleet(h, machineId);
  await d.clickCss(`${card(machineId)} [data-testid="machine-menu"]`);
  await d.clickCss(`${card(machineId)} [data-testid="share-open"]`);
  await d.waitEl('[data-testid="share-dialog"]');
  assert.match((await textOf(d, '[data-testid="share-warning"]')) ?? "", /control the VMs/);
  await d.clickCss('[data-testid="share-create"]');
  await d.waitEl('[data-testid="share-session-id"]', { timeout: 20_000 });
  assert.ok(((await textOf(d, '[data-testid="share-session-id"]')) ?? "").trim().length > 0);
  assert.ok(((await textOf(d, '[data-testid="share-session-sign"]')) ?? "").trim().length > 0);
  await d.clickCss('[data-testid="copy-session-id"]');
  await d.waitFor(() => d.execute('return document.querySelector(\'[data-testid="copy-session-id"]\').dataset.copied;'), { message: "session id copied" });
  await h.shot("share");
  await d.clickCss('[data-testid="share-dialog-close"]');
});

test("settings: testing an unreachable client URL explains the problem in plain words", { timeout: 90_000 }, async () => {
  const { d } = h;
  await d.clickCss('[data-testid="nav-settings"]');
  // Plain HTTP to another computer is warned about as it is typed (nothing is sent)…
  await setValue(d, '[data-testid="settings-url"]', "http://192.0.2.7:5002");
  await d.waitEl('[data-testid="settings-url-risk"]', { timeout: 10_000 });
  assert.equal(await attr(d, '[data-testid="settings-url-risk"]', "data-risk"), "plain_http_remote");
  assert.match((await textOf(d, '[data-testid="settings-url-risk"]')) ?? "", /Plain HTTP to a remote node.*ssh -L 5002:127\.0\.0\.1:5002/s);
  await h.shot("settings-plain-http-remote");
  // …and not for https:// or this computer.
  await setValue(d, '[data-testid="settings-url"]', "https://192.0.2.7");
  await d.waitFor(async () => (await count(d, '[data-testid="settings-url-risk"]')) === 0, { timeout: 10_000, message: "no warning for https://" });
  await setValue(d, '[data-testid="settings-url"]', "http://127.0.0.1:9");
  await sleep(400);
  assert.equal(await count(d, '[data-testid="settings-url-risk"]'), 0, "no warning for loopback");
  await d.clickCss('[data-testid="settings-test"]');
  await d.waitEl('[data-testid="settings-conn-error"]', { timeout: 60_000 });
  await h.shot("settings-bad-url");
  const title = (await textOf(d, '[data-testid="settings-conn-error"] [data-testid="error-title"]')) ?? "";
  assert.ok(title.trim().length > 0);
  assert.doesNotMatch(title, /Error\(|os error|reqwest/i, "no raw Rust error text in the headline");
  // still on the demo network: nothing was saved
  assert.ok((await h.appInfo()).demo);
});

test("edit a machine: a new rent order id is validated next to its field, a good one is saved", { timeout: 90_000 }, async () => {
  const { d } = h;
  assert.ok(machineId, "needs the machine from the first test");
  await d.clickCss('[data-testid="nav-machines"]');
  const row = `[data-testid="machine-row"][data-id="${machineId}"]`;
  await d.clickCss(`${row} [data-testid="machine-edit"]`);
  await d.waitEl('[data-testid="machine-form"]');
  await setValue(d, '[data-testid="machine-rent-order"]', "12ab");
  await d.clickCss('[data-testid="machine-submit"]');
  await d.waitEl('[data-testid="field-error-rent_order"]', { timeout: 10_000 });
  await h.shot("machine-edit-error");
  await setValue(d, '[data-testid="machine-rent-order"]', "1002");
  await setValue(d, '[data-testid="machine-label"]', "Edited machine");
  await d.clickCss('[data-testid="machine-submit"]');
  await d.waitFor(async () => ((await textOf(d, row)) ?? "").includes("Edited machine"), { timeout: 20_000, message: "the edited label in the list" });
  assert.match((await textOf(d, row)) ?? "", /1002/);
  assert.equal(await count(d, '[data-testid="machine-form"]'), 0, "the form closed");
  await h.shot("machine-edited");
});

test("least privilege: the web view cannot reach plugin commands it was not granted", { timeout: 30_000 }, async () => {
  const { d } = h;
  const tryInvoke = (cmd, args) =>
    d.executeAsync(
      `const cb = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => cb({ ok: v }), (e) => cb({ err: String(e) }));`,
      [cmd, args],
    );
  // The settings store is only reachable through the app's own commands…
  const store = await tryInvoke("plugin:store|load", { path: "settings.json" });
  assert.ok(store.err, `plugin:store|load must be refused, got ${JSON.stringify(store)}`);
  assert.match(store.err, /not allowed/i);
  // …and there is no file system or shell access at all.
  for (const cmd of ["plugin:fs|read_text_file", "plugin:shell|execute"]) {
    const r = await tryInvoke(cmd, { path: "/etc/passwd" });
    assert.ok(r.err, `${cmd} must be refused, got ${JSON.stringify(r)}`);
  }
  // The app's own commands still work.
  assert.ok((await h.appInfo()).version);
});

test("menu bar: a menu event takes the UI to the chosen page", { timeout: 30_000 }, async () => {
  const { d } = h;
  // WebDriver cannot click a native GTK menu; emit the event the backend sends for a click.
  await d.executeAsync(
    `const cb = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: "menu", payload: "go:machines" }).then(() => cb(true), (e) => cb(String(e)));`,
  );
  await d.waitEl('[data-testid="page-machines"]', { timeout: 10_000 });
  await d.executeAsync(
    `const cb = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: "menu", payload: "go:fleet" }).then(() => cb(true), (e) => cb(String(e)));`,
  );
  await d.waitEl('[data-testid="page-fleet"]', { timeout: 10_000 });
});

test("add machine: 'Find mine' fills the wallet's rent order id from the machine", { timeout: 60_000 }, async () => {
  const { d } = h;
  const info = await h.appInfo();
  const beta = info.demo.machines.find((m) => m.name === "gpu-node-beta");
  await d.clickCss('[data-testid="nav-machines"]');
  await d.clickCss('[data-testid="machine-add-open"]');
  await d.waitEl('[data-testid="machine-form"]');
  await setValue(d, '[data-testid="machine-node-id"]', beta.node_id);
  await d.clickCss('[data-testid="machine-auth-wallet"]');
  await d.waitEl('[data-testid="machine-wallet"]');
  await d.clickCss('[data-testid="machine-find-rent"]');
  await d.waitEl('[data-testid="machine-rent-found"]', { timeout: 20_000 });
  const value = await d.execute('return document.querySelector(\'[data-testid="machine-rent-order"]\').value;');
  assert.equal(value, beta.rent_order);
  await h.shot("rent-order-found");
  await d.clickCss('[data-testid="machine-cancel"]');
});
