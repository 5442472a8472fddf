// Chain awareness in the real window, against the demo network's simulated chain: every demo
// machine shows its time left, the unconfirmed order shows its confirm window, the expiry
// warning fires (once per threshold, remembered in the settings file), the machine form finds
// the rent order with no typing, and with the chain down the app degrades gracefully.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { attr, count, launch, setValue, textOf } from "./harness.mjs";

let h;
let simBase = null;
before(async () => {
  // The simulated clock runs at real speed here; the test moves it. Rust checks the chain often.
  h = await launch("rentals", { env: { DBC_DESK_DEMO_SPEED: "1", DBC_DESK_RENT_WATCH_MS: "700" } });
});
after(async () => {
  if (simBase) await fetch(`${simBase}/__sim/faults`, { method: "DELETE", signal: AbortSignal.timeout(5000) }).catch(() => {});
  await h?.stop();
});

async function sim(path, body) {
  const r = await fetch(`${simBase}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  assert.ok(r.ok, `sim ${path}: ${r.status}`);
}

function findFile(dir, name) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    } else if (e === name) return p;
  }
  return null;
}

const alerts = (d, order) => d.execute(
  `return [...document.querySelectorAll('[data-testid="rent-alert"]')].filter((a) => a.dataset.order === arguments[0]).map((a) => a.textContent);`,
  [order],
);

test("time left on every machine, the expiry warning, the order found by itself, the chain down", { timeout: 300_000 }, async () => {
  const { d } = h;
  const info = await h.appInfo();
  assert.ok(info.demo?.chain_url, "the demo network serves a chain");
  simBase = new URL(info.demo.url).origin;
  const machines = info.demo.machines;

  // The fleet: every demo machine shows its rental with a live countdown.
  await d.clickCss('[data-testid="nav-fleet"]');
  await d.waitFor(async () => (await count(d, '[data-testid="machine-rental"]')) === machines.length, {
    timeout: 30_000,
    message: "a rental on every machine card",
  });
  const gammaCard = `[data-testid="machine-card"][data-node-id="${machines.find((m) => m.rent_order === "1003").node_id}"]`;
  assert.equal(await attr(d, `${gammaCard} [data-testid="rent-info"]`, "data-status"), "waitingVerifying");
  const c1 = await textOf(d, `${gammaCard} [data-testid="rent-countdown"]`);
  assert.match(c1, /^0[12]:\d\d:\d\d$/, c1);
  await d.waitFor(async () => (await textOf(d, `${gammaCard} [data-testid="rent-countdown"]`)) !== c1, { timeout: 5_000, message: "the countdown ticks" });
  assert.match(await textOf(d, `${gammaCard} [data-testid="rent-confirm"]`), /confirm/i);
  assert.match(await textOf(d, `${gammaCard} [data-testid="rent-ends"]`), /\d/);
  await h.shot("fleet-time-left");

  // The Rentals view: every order, soonest end first; gamma's 24 h warning came at start.
  await d.clickCss('[data-testid="nav-rentals"]');
  await d.waitFor(async () => (await count(d, '[data-testid="rental-row"]')) >= machines.length, { timeout: 20_000, message: "rental rows" });
  const order = await d.execute('return [...document.querySelectorAll(\'[data-testid="rental-row"]\')].map((r) => r.dataset.order);');
  assert.equal(order[0], "1003", `soonest first: ${order}`);
  await d.waitFor(async () => (await alerts(d, "1003")).length === 1, { timeout: 20_000, message: "the 24 h warning" });

  // 70 minutes later less than an hour is left: the 1 h warning fires, once.
  await sim("/__sim/clock/advance", { secs: 70 * 60 });
  await d.waitFor(async () => (await alerts(d, "1003")).length === 2, { timeout: 20_000, message: "the 1 h warning" });
  const [latest] = await alerts(d, "1003");
  assert.match(latest, /Rental ends in \d+ min/, latest);
  await h.shot("expiry-warning");
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal((await alerts(d, "1003")).length, 2, "no second 1 h warning");
  const settings = JSON.parse(readFileSync(findFile(h.dirs.root, "settings.json"), "utf8"));
  assert.ok(settings.settings.rent_alerts.fired.includes("1003:3600"), JSON.stringify(settings.settings.rent_alerts));

  // Adding a machine: the rent order is found on the chain with no typing.
  const beta = machines.find((m) => m.rent_order === "1002");
  await d.clickCss('[data-testid="nav-machines"]');
  await d.clickCss('[data-testid="machine-add-open"]');
  await setValue(d, '[data-testid="machine-node-id"]', beta.node_id);
  await d.waitFor(async () => (await d.execute('return document.querySelector(\'[data-testid="machine-rent-order"]\').value;')) === "1002", {
    timeout: 15_000,
    message: "the rent order filled in",
  });
  assert.equal(await attr(d, '[data-testid="machine-rent-found"]', "data-source"), "chain");
  await h.shot("rent-order-found");
  await d.clickCss('[data-testid="machine-cancel"]');

  // The chain goes down: a clear message, the fleet still works, the order still comes (from
  // the machine's own list) and can still be typed.
  await sim("/__sim/faults", { path: "chain", kind: "reset" });
  await d.clickCss('[data-testid="nav-rentals"]');
  await d.clickCss('[data-testid="rentals-refresh"]');
  await d.waitEl('[data-testid="chain-error"]', { timeout: 30_000 });
  assert.equal(await attr(d, '[data-testid="chain-error"]', "data-code"), "chain");
  assert.match(await textOf(d, '[data-testid="chain-error"]'), /typed by hand/);
  await h.shot("chain-down");
  await d.clickCss('[data-testid="nav-fleet"]');
  await d.waitFor(async () => (await count(d, '[data-testid="vm-row"], [data-testid="no-vms"]')) > 0, { timeout: 20_000, message: "the fleet without the chain" });
  await d.clickCss('[data-testid="nav-machines"]');
  await d.clickCss('[data-testid="machine-add-open"]');
  await setValue(d, '[data-testid="machine-node-id"]', beta.node_id);
  await d.waitEl('[data-testid="machine-rent-chain-down"]', { timeout: 30_000 });
  assert.equal(await attr(d, '[data-testid="machine-rent-found"]', "data-source"), "node");
  await setValue(d, '[data-testid="machine-rent-order"]', "4242");
  assert.equal(await d.execute('return document.querySelector(\'[data-testid="machine-rent-order"]\').value;'), "4242");
});
