// Issue 10 item 5, many VMs: the "All VMs" table across machines — search, status filter, sort,
// GPUs from each VM's details, and a bulk stop of two VMs on two machines with a result per VM.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { attr, count, launch, setValue, textOf } from "./harness.mjs";
import { createVm, waitStatus } from "./flows.mjs";

const ROW = '[data-testid="vm-table-row"]';
const row = (taskId) => `${ROW}[data-task-id="${taskId}"]`;

let h;
before(async () => {
  h = await launch("vm-table");
});
after(async () => {
  await h?.stop();
});

/** Task ids of the table's rows, in screen order. */
function tableIds(d) {
  return d.execute(`return [...document.querySelectorAll('${ROW}')].map((r) => r.dataset.taskId);`);
}

async function waitRows(d, want, message) {
  let last = [];
  await d
    .waitFor(
      async () => {
        last = await tableIds(d);
        return last.length === want.length && want.every((id) => last.includes(id));
      },
      { timeout: 20_000, message },
    )
    .catch((e) => {
      throw new Error(`${e.message}; rows: ${last.join(", ") || "none"}`);
    });
}

test("all VMs in one table: search, filter, sort, bulk stop with a result per VM", { timeout: 420_000 }, async () => {
  const { d } = h;
  const info = await h.appInfo();
  assert.ok(info.demo, "the app starts on the demo network");

  // The demo network's machines: gpu-node-alpha comes with a running VM of the demo wallet
  // ("demo training box", 2 GPUs); gpu-node-beta gets a new one (its rent order covers 2 GPUs,
  // which a partial rent must use).
  const alpha = { id: "demo-1" };
  const beta = { id: "demo-2" };
  const betaVm = await createVm(h, beta.id, { gpu: "2" });
  await waitStatus(h, betaVm, "running", 60_000);
  const alphaVm = await d.waitFor(
    () => attr(d, `[data-testid="machine-card"][data-machine-id="${alpha.id}"] [data-testid="vm-row"]`, "data-task-id"),
    { timeout: 30_000, message: "the demo VM on gpu-node-alpha" },
  );
  await waitStatus(h, alphaVm, "running", 30_000);

  // ---- the table ----
  await d.clickCss('[data-testid="fleet-view-table"]');
  await d.waitEl('[data-testid="vm-table"]', { timeout: 20_000 });
  assert.equal(await attr(d, '[data-testid="fleet-view-table"]', "aria-pressed"), "true");
  await waitRows(d, [alphaVm, betaVm], "both VMs in the table");
  assert.equal(await attr(d, row(alphaVm), "data-machine-id"), alpha.id);
  assert.equal(await attr(d, row(betaVm), "data-machine-id"), beta.id);
  assert.match((await textOf(d, row(alphaVm))) ?? "", /gpu-node-alpha/);
  assert.match((await textOf(d, row(betaVm))) ?? "", /gpu-node-beta/);
  // GPUs come from each VM's details, read by themselves for a fleet this small
  await d.waitFor(async () => (await textOf(d, `${row(betaVm)} [data-testid="vm-table-gpus"]`))?.trim() === "2", {
    timeout: 30_000,
    message: "the new VM's GPU count (2) in the table",
  });
  await h.shot("table");

  // ---- search: typed key by key ----
  await d.typeCss('[data-testid="vm-search"]', "e2e");
  await waitRows(d, [betaVm], "only the VM described 'e2e'");
  await setValue(d, '[data-testid="vm-search"]', "");
  await d.typeCss('[data-testid="vm-search"]', "alpha");
  await waitRows(d, [alphaVm], "only the VM on the machine labelled gpu-node-alpha");
  await d.typeCss('[data-testid="vm-search"]', " nothing-like-this");
  await d.waitEl('[data-testid="vm-table-nomatch"]');
  assert.equal(await count(d, ROW), 0);
  await setValue(d, '[data-testid="vm-search"]', "");
  await waitRows(d, [alphaVm, betaVm], "both VMs again");

  // ---- sort by VM id, both ways ----
  const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" }).compare;
  const asc = [alphaVm, betaVm].sort(natural);
  await d.clickCss('[data-testid="vm-sort-task"]');
  await d.waitFor(async () => JSON.stringify(await tableIds(d)) === JSON.stringify(asc), { message: "rows by VM id, ascending" });
  await d.clickCss('[data-testid="vm-sort-task"]');
  await d.waitFor(async () => JSON.stringify(await tableIds(d)) === JSON.stringify([...asc].reverse()), { message: "rows by VM id, descending" });

  // ---- filter by machine, then by status (a select offers only statuses some VM has) ----
  await setValue(d, '[data-testid="vm-filter-machine"]', beta.id);
  await waitRows(d, [betaVm], "only the VM on Beta");
  await setValue(d, '[data-testid="vm-filter-machine"]', "");
  const statuses = await d.execute('return [...document.querySelectorAll(\'[data-testid="vm-filter-status"] option\')].map((o) => o.value);');
  assert.deepEqual(statuses, ["", "running"], "the status filter offers the statuses present");
  await setValue(d, '[data-testid="vm-filter-status"]', "running");
  await waitRows(d, [alphaVm, betaVm], "both running VMs under the status filter");
  await h.shot("filtered");

  // ---- select two VMs and stop them ----
  await d.clickCss(`${row(alphaVm)} [data-testid="vm-select"]`);
  await d.clickCss(`${row(betaVm)} [data-testid="vm-select"]`);
  await d.waitFor(async () => (await attr(d, '[data-testid="vm-selected-count"]', "data-count")) === "2", { message: "2 VMs selected" });
  assert.equal(await d.execute('return document.querySelector(\'[data-testid="vm-select-all"]\').checked;'), true, "all shown VMs are selected");

  await d.clickCss('[data-testid="bulk-stop"]');
  await d.waitEl('[data-testid="confirm-dialog"]');
  const question = (await textOf(d, '[data-testid="confirm-message"]')) ?? "";
  assert.match(question, /2 VMs/);
  assert.ok(question.includes(alphaVm) && question.includes(betaVm), `the confirmation names both VMs: ${question}`);
  await h.shot("confirm-bulk-stop");
  await d.clickCss('[data-testid="confirm-ok"]');

  // a result per VM, each accepted
  await d.waitEl('[data-testid="bulk-results"]');
  await d.waitFor(async () => (await count(d, '[data-testid="bulk-result"][data-ok]')) === 2, { timeout: 90_000, message: "a result for each of the 2 VMs" });
  const results = await d.execute(
    'return [...document.querySelectorAll(\'[data-testid="bulk-result"]\')].map((r) => ({ id: r.dataset.taskId, machine: r.dataset.machineId, ok: r.dataset.ok, text: r.textContent }));',
  );
  await h.shot("bulk-results");
  assert.deepEqual(results.map((r) => r.id).sort(), [alphaVm, betaVm].sort());
  for (const r of results) assert.equal(r.ok, "true", `VM ${r.id}: ${r.text.trim()}`);
  assert.equal(results.find((r) => r.id === alphaVm).machine, alpha.id);
  assert.equal(results.find((r) => r.id === betaVm).machine, beta.id);
  assert.equal(await attr(d, '[data-testid="bulk-results"]', "data-running"), "false");

  // both become "closed" (shown once the running-only filter is lifted)
  await setValue(d, '[data-testid="vm-filter-status"]', "");
  for (const id of [alphaVm, betaVm]) {
    await d.waitFor(async () => (await attr(d, row(id), "data-status")) === "closed", { timeout: 90_000, interval: 500, message: `VM ${id} to be closed in the table` });
  }
  await setValue(d, '[data-testid="vm-filter-status"]', "closed");
  await waitRows(d, [alphaVm, betaVm], "both VMs under the 'closed' filter");
  await h.shot("both-closed");

  // the machine cards are still one click away
  await d.clickCss('[data-testid="fleet-view-cards"]');
  await d.waitEl(`[data-testid="vm-row"][data-task-id="${betaVm}"][data-status="closed"]`, { timeout: 20_000 });
});
