// b. A bad VNC port is caught next to its field and nothing is sent.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { count, launch, setValue, textOf } from "./harness.mjs";
import { addDemoMachine, addSeedWallet, card, gotoFleet } from "./flows.mjs";
import { sleep } from "./webdriver.mjs";

let h;
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
  const { id: machineId, nodeId } = await addDemoMachine(h);
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
