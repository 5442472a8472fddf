// The VM dialog's Disks, Snapshots and Settings tabs through the UI: a running VM refuses disk
// changes (notice, disabled buttons), a powered-off one gets a new disk and a snapshot, and a
// changed SSH port shows up in the Overview's ssh command.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { attr, count, launch, setValue, textOf } from "./harness.mjs";
import { DEMO_SEED, addDemoMachine, addSeedWallet, createVm, openVm, waitStatus } from "./flows.mjs";

let h;

before(async () => {
  h = await launch("vm-storage");
});
after(async () => {
  await h?.stop();
});

const diskNames = (d) =>
  d.execute('return [...document.querySelectorAll(\'[data-testid="disk-row"]\')].map((r) => r.dataset.disk);');

test("disks, snapshots and settings of a VM", { timeout: 300_000 }, async () => {
  const { d } = h;
  await addSeedWallet(h, "Storage wallet", DEMO_SEED);
  // gpu-node-beta's rent order 1002 covers 2 of its 4 GPUs: a VM there must ask for exactly 2
  const m = await addDemoMachine(h, { prefer: "gpu-node-beta" });
  const id = await createVm(h, m.id, { gpu: "2" });
  await waitStatus(h, id, "running", 60_000);
  await openVm(h, id);
  await d.waitFor(async () => (await attr(d, '[data-testid="vm-detail-status"]', "data-status")) === "running", { timeout: 20_000, message: "detail shows running" });

  // ---- Disks while running: listed, but locked behind a "power off" notice ----
  await d.clickCss('[data-testid="vm-tab-disks"]');
  await d.waitEl('[data-testid="disks-poweroff-notice"]');
  assert.match((await textOf(d, '[data-testid="disks-poweroff-notice"]')) ?? "", /Power the VM off/);
  await d.waitFor(async () => (await count(d, '[data-testid="disk-row"]')) > 0, { timeout: 20_000, message: "the disk list" });
  const before = await diskNames(d);
  assert.ok(before.includes("vda"), `expected vda in ${before.join(",")}`);
  assert.equal(await d.execute('return document.querySelector(\'[data-testid="disk-add-submit"]\').disabled;'), true);
  // the system disk has no Delete button
  assert.equal(await count(d, '[data-testid="disk-row"][data-disk="vda"] [data-testid="disk-delete"]'), 0);
  await h.shot("disks-running");

  // ---- power off from the Overview ----
  await d.clickCss('[data-testid="vm-tab-overview"]');
  await d.clickCss('[data-testid="action-poweroff"]', { timeout: 20_000 });
  await d.waitEl('[data-testid="confirm-dialog"]');
  await d.clickCss('[data-testid="confirm-ok"]');
  await waitStatus(h, id, "closed", 60_000);
  await d.waitFor(async () => (await attr(d, '[data-testid="vm-detail-status"]', "data-status")) === "closed", { timeout: 15_000, message: "detail shows closed" });

  // ---- add a 10 GB disk ----
  await d.clickCss('[data-testid="vm-tab-disks"]');
  await d.waitFor(async () => (await count(d, '[data-testid="disks-poweroff-notice"]')) === 0, { message: "the notice to go" });
  await d.waitFor(async () => (await count(d, '[data-testid="disk-row"]')) > 0, { timeout: 20_000, message: "the disk list" });
  await setValue(d, '[data-testid="disk-add-size"]', "10");
  await d.clickCss('[data-testid="disk-add-submit"]');
  const added = await d.waitFor(
    async () => {
      const err = await textOf(d, '[data-testid="disks-error"]');
      if (err) throw Object.assign(new Error(`disk add failed: ${err}`), { fatal: true });
      return (await diskNames(d)).find((n) => !before.includes(n));
    },
    { timeout: 70_000, interval: 200, message: "the new disk in the list" },
  );
  const size = await attr(d, `[data-testid="disk-row"][data-disk="${added}"]`, "data-size");
  assert.match(size ?? "", /^10(\.0+)?\s*G/i, `new disk size ${size}`);
  assert.equal(await count(d, `[data-testid="disk-row"][data-disk="${added}"] [data-testid="disk-delete"]`), 1);
  await d.waitFor(async () => (await count(d, '[data-testid="disks-progress"]')) === 0, { timeout: 10_000, message: "progress text to clear" });
  await h.shot("disk-added");

  // ---- grow it: the size changes and the guest-side step is explained ----
  await d.clickCss(`[data-testid="disk-row"][data-disk="${added}"] [data-testid="disk-grow"]`);
  await setValue(d, '[data-testid="disk-grow-size"]', "5");
  await d.clickCss('[data-testid="disk-grow-submit"]');
  await d.waitEl('[data-testid="disk-grow-hint"]', { timeout: 70_000 });
  assert.match((await textOf(d, '[data-testid="disk-grow-hint"]')) ?? "", /inside the VM.*growpart/s);
  await d.waitFor(async () => /^15(\.0+)?\s*G/i.test((await attr(d, `[data-testid="disk-row"][data-disk="${added}"]`, "data-size")) ?? ""), {
    timeout: 30_000,
    message: "the grown size",
  });
  await h.shot("disk-grown");

  // ---- snapshot ----
  await d.clickCss('[data-testid="vm-tab-snapshots"]');
  await d.waitEl('[data-testid="snapshots-panel"]');
  await d.waitFor(async () => (await count(d, '[data-testid="snapshot-server"] option')) > 0, { timeout: 20_000, message: "image servers" });
  await setValue(d, '[data-testid="snapshot-name"]', "e2e-snap.1");
  await setValue(d, '[data-testid="snapshot-desc"]', "made by the e2e test");
  await h.shot("snapshot-form");
  await d.clickCss('[data-testid="snapshot-submit"]');
  const row = '[data-testid="snapshot-row"][data-name="e2e-snap.1"]';
  const phases = [];
  await d.waitFor(
    async () => {
      const err = await textOf(d, '[data-testid="snapshots-error"]');
      if (err) throw Object.assign(new Error(`snapshot create failed: ${err}`), { fatal: true });
      const p = await attr(d, row, "data-phase");
      if (p && phases[phases.length - 1] !== p) phases.push(p);
      return p === "done";
    },
    { timeout: 120_000, interval: 150, message: "the snapshot to be done" },
  ).catch((e) => {
    throw new Error(`${e.message}; phases seen: ${phases.join(" → ")}`);
  });
  assert.match((await textOf(d, `${row} [data-testid="snapshot-status"]`)) ?? "", /done/);
  await h.shot("snapshot-done");

  // ---- settings: a new SSH port ----
  await d.clickCss('[data-testid="vm-tab-settings"]');
  await d.waitEl('[data-testid="settings-form"]');
  const cur = await d.waitFor(
    () => d.execute('return document.querySelector(\'[data-testid="settings-ssh-port"]\').value;'),
    { message: "the current SSH port in the form" },
  );
  const port = String(Number(cur) === 24680 ? 24681 : 24680);
  await setValue(d, '[data-testid="settings-ssh-port"]', port);
  await d.clickCss('[data-testid="settings-save"]');
  const reply = await d.waitFor(
    async () => {
      const err = await textOf(d, '[data-testid="settings-error"]');
      if (err) throw Object.assign(new Error(`modify failed: ${err}`), { fatal: true });
      return textOf(d, '[data-testid="settings-reply"]');
    },
    { timeout: 30_000, message: "the node's reply" },
  );
  assert.equal(reply.trim(), "Saved");
  // the password form is for running VMs only
  assert.equal(await d.execute('return document.querySelector(\'[data-testid="passwd-submit"]\').disabled;'), true);
  await h.shot("settings-saved");

  await d.clickCss('[data-testid="vm-tab-overview"]');
  const ssh = await d.waitFor(
    async () => {
      const s = await textOf(d, '[data-testid="ssh-command"]');
      return s && s.includes(`-p ${port} `) ? s : null;
    },
    { timeout: 20_000, message: `the ssh command with port ${port}` },
  );
  assert.match(ssh, new RegExp(`^ssh -p ${port} \\S+@\\S+$`));
  await h.shot("overview-new-port");
});
