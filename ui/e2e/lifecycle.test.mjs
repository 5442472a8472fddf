// a. The whole VM lifecycle through the UI, then d. no secret on disk.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { attr, count, launch, textOf } from "./harness.mjs";
import { DEMO_SEED, addDemoMachine, addSeedWallet, createVm, openVm, vmStatus, waitStatus } from "./flows.mjs";

let h;
/** Mnemonics typed into the app during this file (none yet; scanned word by word if added). */
const mnemonicsUsed = [];

before(async () => {
  h = await launch("lifecycle");
});
after(async () => {
  await h?.stop();
});

test("a. wallet → machine → VM create, copy SSH, shut down, delete", { timeout: 300_000 }, async () => {
  const { d } = h;
  assert.match((await textOf(d, '[data-testid="demo-banner"]')) ?? "", /built-in demo network/);

  await addSeedWallet(h, "Lifecycle wallet", DEMO_SEED);
  // gpu-node-beta: the first demo machine with a Linux image (the SSH command is the point
  // here); its rent order 1002 covers 2 of its 4 GPUs, and a partial rent needs exactly that count
  const m = await addDemoMachine(h, { prefer: "gpu-node-beta" });

  const id = await createVm(h, m.id, { gpu: "2" });
  const first = await vmStatus(d, id);
  const seen = [first, ...(await waitStatus(h, id, "running", 60_000))];
  assert.ok(seen.includes("creating"), `expected to see "creating" first, saw ${seen.join(" → ")}`);
  await h.shot("running");

  await openVm(h, id);
  const copy = await d.waitEl('[data-testid="copy-ssh"]', { timeout: 30_000, enabled: true });
  await d.click(copy);
  const copied = await d.waitFor(() => attr(d, '[data-testid="copy-ssh"]', "data-copied"), { message: "data-copied on the SSH copy button" });
  assert.match(copied, /^ssh -p \d+ \S+@\S+$/);
  assert.match(await d.text(copy), /Copied/);
  assert.equal(copied, (await textOf(d, '[data-testid="ssh-command"]'))?.trim());
  // the password is hidden until revealed
  assert.equal(await attr(d, '[data-testid="password"]', "data-revealed"), "false");
  await h.shot("vm-detail");

  // logs: last lines of the running VM
  await d.clickCss('[data-testid="logs-fetch"]');
  await d.waitEl('[data-testid="logs-output"]', { timeout: 20_000 });
  assert.ok(((await textOf(d, '[data-testid="logs-output"]')) ?? "").length > 0);

  // a hard reset asks first; the VM comes back running
  await d.clickCss('[data-testid="action-reset"]');
  await d.waitEl('[data-testid="confirm-dialog"]');
  assert.match((await textOf(d, '[data-testid="confirm-message"]')) ?? "", /reset button/);
  await d.clickCss('[data-testid="confirm-ok"]');
  await d.waitFor(async () => /Reset: request accepted/.test((await textOf(d, '[data-testid="toasts"]')) ?? ""), { timeout: 30_000, message: "the reset accepted" });
  await waitStatus(h, id, "running", 60_000);
  await d.waitFor(async () => (await attr(d, '[data-testid="vm-detail-status"]', "data-status")) === "running", { timeout: 30_000, message: "running after the reset" });

  await d.clickCss('[data-testid="action-shutdown"]', { timeout: 20_000 });
  await d.waitEl('[data-testid="confirm-dialog"]');
  await h.shot("confirm-shutdown");
  await d.clickCss('[data-testid="confirm-ok"]');
  await waitStatus(h, id, "closed", 60_000);
  await d.waitFor(async () => (await attr(d, '[data-testid="vm-detail-status"]', "data-status")) === "closed", { timeout: 10_000, message: "detail shows closed" });
  await h.shot("closed");

  await d.clickCss('[data-testid="action-delete"]', { timeout: 20_000 });
  await d.waitEl('[data-testid="confirm-dialog"]');
  assert.match((await textOf(d, '[data-testid="confirm-message"]')) ?? "", /disks and snapshots/);
  await d.clickCss('[data-testid="confirm-ok"]');
  await d.waitFor(async () => (await count(d, `[data-testid="vm-row"][data-task-id="${id}"]`)) === 0, {
    timeout: 60_000,
    interval: 500,
    message: `VM ${id} to disappear`,
  });
  await h.shot("deleted");
});

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

test("d. no wallet secret is written to the app's data, config or cache dirs", { timeout: 60_000 }, async () => {
  const needles = [
    { what: "seed hex", buf: Buffer.from(DEMO_SEED, "utf8") },
    { what: "seed hex (upper case)", buf: Buffer.from(DEMO_SEED.toUpperCase(), "utf8") },
    { what: "seed bytes", buf: Buffer.from(DEMO_SEED, "hex") },
  ];
  const mnemonicWords = mnemonicsUsed.flatMap((m) => m.split(/\s+/)).filter((w) => w.length >= 3);
  const files = [];
  const hits = [];
  for (const root of [h.dirs.data, h.dirs.config, h.dirs.cache]) {
    for (const f of walk(root)) {
      if (statSync(f).size > 64 * 1024 * 1024) continue;
      files.push(f);
      const buf = readFileSync(f);
      for (const n of needles) if (buf.includes(n.buf)) hits.push(`${f}: ${n.what}`);
      if (mnemonicWords.length) {
        const text = buf.toString("latin1");
        const found = mnemonicWords.filter((w) => new RegExp(`\\b${w}\\b`).test(text));
        // a whole phrase leaked if most of its words appear together
        if (found.length >= Math.max(6, Math.floor(mnemonicWords.length * 0.75))) hits.push(`${f}: mnemonic words ${found.join(" ")}`);
      }
    }
  }
  assert.ok(files.length > 0, "expected the app to have written something under the temp XDG dirs");
  assert.deepEqual(hits, []);
});
