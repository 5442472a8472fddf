// No keychain (no Secret Service on the bus): the app explains it, the renter opts in to an
// encrypted file, and the seed never lands on disk in the clear.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { attr, launch, setValue, textOf } from "./harness.mjs";
import { DEMO_SEED, addSeedWallet } from "./flows.mjs";

// A bus address that leads nowhere: the keychain is unavailable for these app runs.
const env = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/dbc-desk-e2e-bus" };
let h;
let root;
before(async () => {
  h = await launch("vault-file", { env });
  root = h.dirs.root;
});
after(async () => {
  await h?.stop();
});

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

test("unavailable keychain → explanation → opt-in encrypted file → wallet works, no seed on disk", { timeout: 120_000 }, async () => {
  const { d } = h;
  const info = await h.appInfo();
  assert.equal(info.vault.backend, "unavailable", `expected no keychain, got ${JSON.stringify(info.vault)}`);
  await d.waitEl('[data-testid="vault-banner"][data-state="unavailable"]');
  await h.shot("vault-unavailable");

  await d.clickCss('[data-testid="vault-use-file-open"]');
  // The strength hint follows the typing (Rust rates it).
  await setValue(d, '[data-testid="vault-passphrase"]', "password1");
  await d.waitFor(async () => (await attr(d, '[data-testid="vault-strength"]', "data-score")) === "0", { message: "a weak rating" });
  assert.match((await textOf(d, '[data-testid="vault-strength"]')) ?? "", /common/);
  await setValue(d, '[data-testid="vault-passphrase"]', "correct horse battery");
  await d.waitFor(async () => Number(await attr(d, '[data-testid="vault-strength"]', "data-score")) >= 3, { message: "a strong rating" });
  await setValue(d, '[data-testid="vault-passphrase2"]', "correct horse battery!");
  await d.clickCss('[data-testid="vault-use-file"]');
  assert.match((await d.waitFor(() => textOf(d, '[data-testid="vault-local-error"]'))) ?? "", /different/);

  await setValue(d, '[data-testid="vault-passphrase2"]', "correct horse battery");
  await d.clickCss('[data-testid="vault-use-file"]');
  await d.waitFor(async () => (await d.execute('return document.querySelector(\'[data-testid="vault-banner"]\') === null;')), {
    timeout: 30_000,
    message: "the vault banner to go away",
  });
  assert.equal((await h.appInfo()).vault.backend, "file");

  await addSeedWallet(h, "File wallet", DEMO_SEED);
  assert.ok(await attr(h.d, '[data-testid="wallet-row"]', "data-address"));

  const hits = [];
  for (const root of [h.dirs.data, h.dirs.config, h.dirs.cache]) {
    for (const f of walk(root)) {
      const buf = readFileSync(f);
      if (buf.includes(Buffer.from(DEMO_SEED)) || buf.includes(Buffer.from(DEMO_SEED, "hex"))) hits.push(f);
    }
  }
  assert.deepEqual(hits, [], "the seed is stored encrypted");
});

test("after a restart the file is locked: a wrong passphrase is refused, the right one unlocks", { timeout: 120_000 }, async () => {
  await h.stop({ keepDirs: true });
  h = await launch("vault-file-restart", { env, reuseRoot: root });
  const { d } = h;
  await d.waitEl('[data-testid="vault-banner"][data-state="locked"]', { timeout: 20_000 });
  await h.shot("vault-locked");
  await setValue(d, '[data-testid="vault-unlock-passphrase"]', "wrong passphrase");
  await d.clickCss('[data-testid="vault-unlock"]');
  await d.waitEl('[data-testid="vault-banner"] [data-testid="error-view"]', { timeout: 30_000 });
  await setValue(d, '[data-testid="vault-unlock-passphrase"]', "correct horse battery");
  await d.clickCss('[data-testid="vault-unlock"]');
  await d.waitFor(async () => (await d.execute('return document.querySelector(\'[data-testid="vault-banner"]\') === null;')), {
    timeout: 30_000,
    message: "the vault banner to go away",
  });
  await d.clickCss('[data-testid="nav-wallets"]');
  await d.waitEl('[data-testid="wallet-row"]', { timeout: 20_000 });
});
