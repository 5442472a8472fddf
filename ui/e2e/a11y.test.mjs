// Accessibility basics (issue 11.7): axe-core (WCAG 2 A and AA rules) finds nothing on the main
// screens and dialogs; dialogs take the focus, keep Tab inside, close on Esc and give the focus
// back; the keyboard shortcuts are listed under Help.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { count, launch } from "./harness.mjs";
import { violations } from "./axe.mjs";
import { addDemoMachine, addSeedWallet, card, gotoFleet } from "./flows.mjs";

let h;
before(async () => {
  h = await launch("a11y");
});
after(async () => {
  await h?.stop();
});

test("axe finds no WCAG A/AA problems on the main screens and dialogs", { timeout: 240_000 }, async () => {
  const { d } = h;
  await addSeedWallet(h);
  const { id } = await addDemoMachine(h, { prefer: "gpu-node-beta" });
  const found = {};
  for (const page of ["wallets", "machines", "activity", "rentals", "settings"]) {
    await d.clickCss(`[data-testid="nav-${page}"]`);
    await d.waitEl(`[data-testid="page-${page}"]`);
    await new Promise((r) => setTimeout(r, 800));
    found[page] = await violations(d);
  }
  await gotoFleet(h, id);
  found.fleet = await violations(d);
  await d.clickCss('[data-testid="fleet-view-table"]');
  await new Promise((r) => setTimeout(r, 800));
  found.vmTable = await violations(d);
  await d.clickCss('[data-testid="fleet-view-cards"]');
  await d.clickCss(`${card(id)} [data-testid="new-vm"]`);
  await d.waitEl('[data-testid="create-form"]', { timeout: 20_000 });
  found.createForm = await violations(d);
  await d.clickCss('[data-testid="create-cancel"]');
  await d.clickCss(`${card(id)} [data-testid="machine-menu"]`);
  await d.clickCss(`${card(id)} [data-testid="images-open"]`);
  await d.waitEl('[data-testid="images-server"]', { timeout: 20_000 });
  found.images = await violations(d);
  await d.clickCss('[data-testid="images-dialog-close"]');
  const bad = Object.entries(found).filter(([, v]) => v.length);
  assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
  // The check itself sees problems: an unlabelled button is reported, then removed.
  await d.execute('const b = document.createElement("button"); b.id = "axe-probe"; document.querySelector("main").append(b);');
  const probe = await violations(d);
  await d.execute('document.getElementById("axe-probe").remove();');
  assert.ok(probe.some((v) => v.startsWith("button-name")), JSON.stringify(probe));
});

const TAB = "\uE004";
const SHIFT = "\uE008";
const ESC = "\uE00C";
const active = (d) => d.execute("const a = document.activeElement; return a ? (a.dataset.testid || a.tagName) : null;");
const inDialog = (d) => d.execute('return !!document.activeElement?.closest("[role=dialog]");');

test("keyboard: ? lists the shortcuts; Tab stays in the dialog; Esc closes it and gives the focus back", { timeout: 60_000 }, async () => {
  const { d } = h;
  await d.clickCss('[data-testid="nav-settings"]');
  await d.execute('document.querySelector(\'[data-testid="nav-settings"]\').focus();');
  // "?" from the page (not while typing)
  await d.press("?");
  await d.waitEl('[data-testid="shortcuts-dialog"]', { timeout: 5_000 });
  assert.ok((await count(d, '[data-testid="shortcut"]')) >= 10, "the shortcuts are listed");
  assert.ok(await inDialog(d), "the dialog has the focus");
  for (let i = 0; i < 4; i++) {
    await d.press(TAB);
    assert.ok(await inDialog(d), `Tab ${i + 1} stays in the dialog`);
  }
  await d.press([SHIFT, TAB]);
  assert.ok(await inDialog(d), `Shift+Tab stays in the dialog (focus on ${await active(d)})`);
  await d.press(ESC);
  await d.waitFor(async () => (await count(d, '[data-testid="shortcuts-dialog"]')) === 0, { timeout: 5_000, message: "Esc closes the dialog" });
  assert.equal(await active(d), "nav-settings", "the focus is back where it was");
  // "/" goes to the VM search
  await d.press("/");
  await d.waitFor(async () => (await active(d)) === "vm-search", { timeout: 5_000, message: "the VM search has the focus" });
});
