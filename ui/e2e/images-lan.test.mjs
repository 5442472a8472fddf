// Images (download from an image server with progress, then delete) and private networks
// (a bad name is caught next to its field; create, list, delete) through the machine's "⋯" menu.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { count, launch, setValue, textOf } from "./harness.mjs";
import { addDemoMachine, addSeedWallet, card, gotoFleet } from "./flows.mjs";

let h;
let machineId;
before(async () => {
  h = await launch("images-lan");
});
after(async () => {
  await h?.stop();
});

const names = (d, css) => d.execute("return [...document.querySelectorAll(arguments[0])].map((r) => r.dataset.name);", [css]);

/** Toasts sit over the dialog's bottom-right corner; close them before clicking there. */
function clearToasts(d) {
  return d.execute('document.querySelectorAll(\'[data-testid="toast-close"]\').forEach((b) => b.click());');
}

async function openMenuItem(testid) {
  const { d } = h;
  // a dialog left open by an earlier failure would hide the fleet
  await d.execute('document.querySelectorAll(\'[data-testid$="-dialog-close"]\').forEach((b) => b.click());');
  await gotoFleet(h, machineId);
  await d.clickCss(`${card(machineId)} [data-testid="machine-menu"]`);
  await d.clickCss(`${card(machineId)} [data-testid="${testid}"]`);
}

test("images: download a server image with progress, see it on the machine, delete it", { timeout: 240_000 }, async () => {
  const { d } = h;
  await addSeedWallet(h);
  machineId = (await addDemoMachine(h, { prefer: "gpu-node-beta" })).id;
  await openMenuItem("images-open");
  await d.waitEl('[data-testid="images-dialog"]');
  await d.waitEl('[data-testid="images-node-list"], [data-testid="images-node-empty"]', { timeout: 20_000 });
  await d.waitEl('[data-testid="images-server"]', { timeout: 20_000 });
  const onNode = new Set(await names(d, '[data-testid="image-node-row"]'));

  // find a server image that is not on the machine (try each server)
  const servers = await d.execute('return [...document.querySelectorAll(\'[data-testid="images-server"] option\')].map((o) => o.value);');
  assert.ok(servers.length > 0, "the demo client has image servers");
  let file = null;
  for (const s of servers) {
    await setValue(d, '[data-testid="images-server"]', s);
    await d.waitFor(async () => (await names(d, '[data-testid="image-server-row"]')).length > 0, { timeout: 20_000, message: `images of ${s}` });
    await d.waitFor(async () => (await d.execute('return document.querySelector(\'[data-testid="images-server"]\').value;')) === s, { message: "server selected" });
    file = await d.execute(
      'const r = [...document.querySelectorAll(\'[data-testid="image-server-row"][data-on-node="false"]\')].find((x) => x.querySelector(\'[data-testid="image-download"]\')); return r ? r.dataset.name : null;',
    );
    if (file) break;
  }
  assert.ok(file, "some server image is not on the machine yet");
  assert.ok(!onNode.has(file));
  await h.shot("images-dialog");

  await d.clickCss(`[data-testid="image-server-row"][data-name="${file}"] [data-testid="image-download"]`);
  const row = `[data-testid="image-transfer"][data-file="${file}"][data-direction="download"]`;
  await d.waitEl(row, { timeout: 20_000 });
  assert.equal(await count(d, `${row} [data-testid="image-transfer-bar"]`), 1, "a progress bar");
  const percents = [];
  let shot = false;
  await d.waitFor(
    async () => {
      const p = (await textOf(d, `${row} [data-testid="image-transfer-percent"]`))?.trim();
      if (p && percents[percents.length - 1] !== p) percents.push(p);
      if (!shot && percents.length >= 2 && p !== "100%") {
        shot = true;
        await h.shot("download-progress");
      }
      return (await d.execute("const e = document.querySelector(arguments[0]); return e && e.dataset.state;", [row])) === "done";
    },
    { timeout: 120_000, interval: 300, message: `download of ${file} to finish` },
  );
  // The percent was read just before the state: read it once more now that the state is done.
  const last = (await textOf(d, `${row} [data-testid="image-transfer-percent"]`))?.trim();
  if (last && percents[percents.length - 1] !== last) percents.push(last);
  assert.ok(percents.every((p) => /^\d+%$/.test(p)), `percent text: ${percents.join(", ")}`);
  assert.equal(percents[percents.length - 1], "100%");
  await h.shot("download-done");

  const nodeRow = `[data-testid="image-node-row"][data-name="${file}"]`;
  await d.waitFor(async () => (await d.execute("const e = document.querySelector(arguments[0]); return e && e.dataset.busy === 'false';", [nodeRow])), {
    timeout: 20_000,
    message: `${file} under "On this machine"`,
  });
  // the server list now knows it is here
  assert.equal(await count(d, `[data-testid="image-server-row"][data-name="${file}"] [data-testid="image-download"]`), 0);

  await d.clickCss(`${nodeRow} [data-testid="image-delete"]`);
  await d.waitEl('[data-testid="confirm-dialog"]');
  assert.match((await textOf(d, '[data-testid="confirm-message"]')) ?? "", new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  await h.shot("image-delete-confirm");
  await d.clickCss('[data-testid="confirm-ok"]');
  await d.waitFor(async () => (await count(d, nodeRow)) === 0, { timeout: 20_000, message: `${file} gone from the machine` });
  assert.equal(await count(d, '[data-testid="images-action-error"]'), 0);
  await h.shot("image-deleted");

  // upload a machine image to a server that does not have it yet
  const target = await d.execute(
    `const files = [...document.querySelectorAll('[data-testid="image-upload-file"] option')].map((o) => o.value);
     return files.length ? files[0] : null;`,
  );
  assert.ok(target, "an image on the machine to upload");
  let dest = null;
  for (const s of servers) {
    await setValue(d, '[data-testid="images-server"]', s);
    await d.waitFor(async () => (await names(d, '[data-testid="image-server-row"]')).length > 0, { timeout: 20_000, message: `images of ${s}` });
    if (!(await names(d, '[data-testid="image-server-row"]')).includes(target)) {
      dest = s;
      break;
    }
  }
  if (dest) {
    await setValue(d, '[data-testid="image-upload-file"]', target);
    await setValue(d, '[data-testid="image-upload-server"]', dest);
    await clearToasts(d);
    await d.clickCss('[data-testid="image-upload-start"]');
    const up = `[data-testid="image-transfer"][data-file="${target}"][data-direction="upload"]`;
    await d.waitEl(up, { timeout: 20_000 });
    await h.shot("upload-progress");
    await d.waitFor(async () => (await d.execute("const e = document.querySelector(arguments[0]); return e && e.dataset.state;", [up])) === "done", {
      timeout: 120_000,
      interval: 300,
      message: `upload of ${target} to finish`,
    });
    await d.waitFor(async () => (await names(d, '[data-testid="image-server-row"]')).includes(target), { timeout: 20_000, message: `${target} on ${dest}` });
    await h.shot("upload-done");
  }

  // closing and reopening keeps the finished transfer listed (this app run)
  await clearToasts(d);
  await d.clickCss('[data-testid="images-dialog-close"]');
  await d.waitFor(async () => (await count(d, '[data-testid="images-dialog"]')) === 0, { message: "dialog closed" });
  await openMenuItem("images-open");
  await d.waitEl(row, { timeout: 10_000 });
  await d.clickCss('[data-testid="images-dialog-close"]');
});

test("private networks: bad name → field error; create teamnet1, listed, delete, gone", { timeout: 120_000 }, async () => {
  const { d } = h;
  assert.ok(machineId, "needs the machine from the previous test");
  await openMenuItem("lan-open");
  await d.waitEl('[data-testid="lan-dialog"]');
  await d.waitEl('[data-testid="lan-list"], [data-testid="lan-empty"]', { timeout: 20_000 });

  await setValue(d, '[data-testid="lan-name"]', "ab");
  await setValue(d, '[data-testid="lan-cidr-input"]', "192.168.77.0/24");
  await clearToasts(d);
  await d.clickCss('[data-testid="lan-create"]');
  await d.waitEl('[data-testid="field-error-network_name"]', { timeout: 10_000 });
  assert.match((await textOf(d, '[data-testid="field-error-network_name"]')) ?? "", /6 to 10/);
  const nextToField = await d.execute(
    'const e = document.querySelector(\'[data-testid="field-error-network_name"]\'); const l = e && e.closest("label"); return !!(l && l.querySelector(\'[data-testid="lan-name"]\'));',
  );
  assert.equal(nextToField, true, "the error is next to the name field");
  await h.shot("lan-bad-name");

  await setValue(d, '[data-testid="lan-name"]', "teamnet1");
  await clearToasts(d);
  await d.clickCss('[data-testid="lan-create"]');
  const row = '[data-testid="lan-row"][data-name="teamnet1"]';
  await d.waitFor(
    async () => {
      const err = await textOf(d, '[data-testid="lan-create-error"]');
      if (err) throw Object.assign(new Error(`create failed: ${err}`), { fatal: true });
      return (await count(d, row)) === 1;
    },
    { timeout: 30_000, message: "teamnet1 listed" },
  );
  assert.equal(await count(d, '[data-testid="field-error-network_name"]'), 0, "the field error is gone");
  assert.equal((await textOf(d, `${row} [data-testid="lan-cidr"]`))?.trim(), "192.168.77.0/24");
  assert.equal((await textOf(d, `${row} [data-testid="lan-members"]`))?.trim(), "0");
  await h.shot("lan-created");

  await d.clickCss(`${row} [data-testid="lan-delete"]`);
  await d.waitEl('[data-testid="confirm-dialog"]');
  assert.match((await textOf(d, '[data-testid="confirm-message"]')) ?? "", /teamnet1/);
  await d.clickCss('[data-testid="confirm-ok"]');
  await d.waitFor(async () => (await count(d, row)) === 0, { timeout: 30_000, message: "teamnet1 gone" });
  assert.equal(await count(d, '[data-testid="lan-delete-error"]'), 0);
  await h.shot("lan-deleted");
  await d.clickCss('[data-testid="lan-dialog-close"]');
});
