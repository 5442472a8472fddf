// The first-run guide (issue 11.6) on the demo network: shown on a first start with the demo
// network called out; its buttons lead to the VM form and the wallet form; it speaks each
// language; "Skip" is kept across a restart and the Guide button brings it back.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, attr, count, launch, setValue } from "./harness.mjs";
import { violations } from "./axe.mjs";

const catalog = (l) => JSON.parse(readFileSync(join(REPO, "ui", "src", "locales", `${l}.json`), "utf8"));
let h;
after(async () => {
  await h?.stop();
});

const step = (id) => `[data-testid="guide-step"][data-step="${id}"]`;

test("first run: the guide leads to the first VM, speaks each language, and Skip is kept", { timeout: 240_000 }, async () => {
  h = await launch("guide", { guide: true });
  let { d } = h;
  await d.waitEl('[data-testid="guide"]', { timeout: 20_000 });
  assert.equal(await count(d, '[data-testid="guide-demo"]'), 1, "the demo network is called out");
  // The demo machines are ready: the machine step is done and the first VM is next.
  await d.waitFor(async () => (await attr(d, step("machine"), "data-done")) === "true", { timeout: 20_000, message: "the machine step done" });
  assert.equal(await attr(d, '[data-testid="guide"]', "data-current"), "vm");
  await h.shot("guide-first-run");
  assert.deepEqual(await violations(d), [], "axe finds nothing with the guide open");

  await d.clickCss('[data-testid="guide-go-vm"]');
  await d.waitEl('[data-testid="create-form"]', { timeout: 20_000 });
  await d.clickCss('[data-testid="create-cancel"]');
  await d.clickCss('[data-testid="guide-go-wallet"]');
  await d.waitEl('[data-testid="wallet-kind-seed"]', { timeout: 10_000 });

  for (const lang of ["zh-CN", "ko", "en"]) {
    await d.clickCss('[data-testid="nav-settings"]');
    await setValue(d, '[data-testid="settings-language"]', lang);
    await d.clickCss('[data-testid="settings-prefs-save"]');
    await d.waitFor(async () => (await attr(d, '[data-testid="guide"]', "aria-label")) === catalog(lang).guide.label, {
      timeout: 10_000,
      message: `the guide in ${lang}`,
    });
    await h.shot(`guide-${lang}`);
  }

  await d.clickCss('[data-testid="guide-skip"]');
  await d.waitFor(async () => (await count(d, '[data-testid="guide"]')) === 0, { timeout: 10_000, message: "the guide to go" });
  assert.equal(await count(d, '[data-testid="guide-reopen"]'), 1);

  // Skipped stays skipped after a restart; the Guide button shows it again.
  const root = h.dirs.root;
  await h.stop({ keepDirs: true });
  h = await launch("guide-restart", { reuseRoot: root, guide: true });
  d = h.d;
  await d.waitEl('[data-testid="guide-reopen"]', { timeout: 20_000 });
  assert.equal(await count(d, '[data-testid="guide"]'), 0, "not shown again by itself");
  await d.clickCss('[data-testid="guide-reopen"]');
  await d.waitEl('[data-testid="guide"]', { timeout: 10_000 });
});
