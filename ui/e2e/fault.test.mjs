// c. The node's gateway times out on shutdown: the UI says so in plain words and stays usable.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { attr, launch, textOf } from "./harness.mjs";
import { addDemoMachine, addSeedWallet, createVm, openVm, waitStatus } from "./flows.mjs";

let h;
let simBase = null;
before(async () => {
  h = await launch("fault");
});
after(async () => {
  if (simBase) await fetch(`${simBase}/__sim/faults`, { method: "DELETE", signal: AbortSignal.timeout(5000) }).catch(() => {});
  await h?.stop();
});

async function sim(method, path, body) {
  const r = await fetch(`${simBase}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const j = await r.json();
  assert.ok(r.ok && j.ok !== false, `sim ${method} ${path}: ${JSON.stringify(j)}`);
  return j;
}

test("c. gateway timeout on shutdown is shown in plain words; the UI stays usable", { timeout: 300_000 }, async () => {
  const { d } = h;
  const info = await h.appInfo();
  assert.ok(info.demo, "the app starts on the demo network");
  simBase = new URL(info.demo.url).origin;

  await addSeedWallet(h);
  const m = await addDemoMachine(h, { prefer: "gpu-node-beta" });
  const id = await createVm(h, m.id, { gpu: "2" });
  await waitStatus(h, id, "running", 60_000);
  await openVm(h, id);
  await d.waitEl('[data-testid="action-shutdown"]', { enabled: true, timeout: 20_000 });

  await sim("POST", "/__sim/faults", { path: "tasks/shutdown", kind: "timeout", times: 1 });
  await d.clickCss('[data-testid="action-shutdown"]');
  await d.clickCss('[data-testid="confirm-ok"]');
  await d.waitEl('[data-testid="vm-error"]', { timeout: 120_000 });
  await h.shot("timeout-error");
  assert.equal(await attr(d, '[data-testid="vm-error"]', "data-code"), "timeout");
  const words = `${await textOf(d, '[data-testid="vm-error"] [data-testid="error-title"]')} ${await textOf(d, '[data-testid="vm-error"] [data-testid="error-message"]')}`;
  assert.match(words, /time|too long|answer|respond/i);
  assert.doesNotMatch(words, /errcode|HTTP 500/, "the headline is plain words; the raw reply is under details");

  // usable: the buttons are enabled again and a retry works
  await d.waitEl('[data-testid="action-shutdown"]', { enabled: true, timeout: 15_000 });
  await d.waitEl('[data-testid="action-delete"]', { enabled: true, timeout: 5_000 });
  await d.clickCss('[data-testid="action-shutdown"]');
  await d.clickCss('[data-testid="confirm-ok"]');
  await waitStatus(h, id, "closed", 60_000);
  await h.shot("retry-ok");
});

test("c2. a reply cut off after a start was done: the UI says so and refreshes instead of guessing", { timeout: 120_000 }, async () => {
  const { d } = h;
  assert.ok(simBase, "needs the VM from the previous test");
  await d.waitEl('[data-testid="action-start"]', { enabled: true, timeout: 20_000 });
  const id = await attr(d, '[data-testid="vm-detail"] [data-task-id]', "data-task-id");
  await sim("POST", "/__sim/faults", { path: "tasks/start", kind: "reset", times: 1 });
  await d.clickCss('[data-testid="action-start"]');
  await d.waitFor(
    () => d.execute('return [...document.querySelectorAll(\'[data-testid="toast"]\')].some((t) => /may have done it/.test(t.textContent));'),
    { timeout: 30_000, message: "the 'may have done it' notice" },
  );
  await h.shot("ambiguous");
  assert.equal(await d.execute('return document.querySelector(\'[data-testid="vm-error"]\') === null;'), true, "no error is claimed");
  // the refresh shows what really happened: the start went through
  await waitStatus(h, id, "running", 60_000);
});
