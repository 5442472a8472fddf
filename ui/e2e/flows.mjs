// UI flows shared by the E2E tests. Each step goes through the real UI.
import { attr, count, setValue } from "./harness.mjs";

export const DEMO_SEED = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";

export async function addSeedWallet(h, name = "E2E wallet", seed = DEMO_SEED) {
  const { d } = h;
  await d.clickCss('[data-testid="nav-wallets"]');
  await d.clickCss('[data-testid="wallet-add-open"]');
  await d.clickCss('[data-testid="wallet-kind-seed"]');
  await d.typeCss('[data-testid="wallet-name"]', name);
  await d.typeCss('[data-testid="wallet-secret"]', seed);
  await h.shot("wallet-form");
  await d.clickCss('[data-testid="wallet-submit"]');
  await d.waitFor(async () => (await count(d, '[data-testid="wallet-row"]')) > 0, { timeout: 20_000, message: "the wallet in the list" });
  await h.shot("wallet-added");
}

function machineIds(d) {
  return d.execute('return [...document.querySelectorAll(\'[data-testid="machine-row"]\')].map((r) => r.dataset.id);');
}

/**
 * Adds a machine through the form, filled by the "Use a demo machine" picker. `prefer` is a
 * demo machine name to pick (default: the first one offered). Returns the new machine's id.
 */
export async function addDemoMachine(h, { prefer = null, label = "E2E machine" } = {}) {
  const { d } = h;
  await d.clickCss('[data-testid="nav-machines"]');
  await d.clickCss('[data-testid="machine-add-open"]');
  await d.waitEl('[data-testid="machine-demo-pick"]');
  await d.waitFor(async () => (await count(d, '[data-testid="machine-row"], [data-testid="machines-empty"]')) > 0, { message: "the machine list" });
  const before = new Set(await machineIds(d));
  const first = await d.execute(
    `const o = [...document.querySelectorAll('[data-testid="machine-demo-pick"] option')].filter((x) => x.value);
     const p = arguments[0] ? o.find((x) => x.textContent.startsWith(arguments[0])) : null;
     return (p || o[0] || { value: null }).value;`,
    [prefer],
  );
  if (!first) throw new Error("no demo machine offered");
  await setValue(d, '[data-testid="machine-demo-pick"]', first);
  await d.waitFor(async () => (await d.execute('return document.querySelector(\'[data-testid="machine-node-id"]\').value;')) === first, {
    message: "machine id filled from the demo picker",
  });
  await setValue(d, '[data-testid="machine-label"]', label);
  await d.clickCss('[data-testid="machine-auth-wallet"]');
  await d.waitEl('[data-testid="machine-wallet"]');
  // The form looks the rent order up by itself; its answer adds a line and moves the button, so
  // wait for it first (a click during the move can land beside the button).
  await d
    .waitFor(() => count(d, '[data-testid="machine-rent-found"], [data-testid="machine-rent-none"], [data-testid="machine-rent-chain-down"]'), {
      timeout: 10_000,
      message: "the rent order lookup",
    })
    .catch(() => {});
  await h.shot("machine-form");
  await d.clickCss('[data-testid="machine-submit"]');
  const added = () => machineIds(d).then((ids) => ids.find((x) => !before.has(x)));
  // A click that still missed leaves the form as it was: press the button once more.
  const first5s = await d.waitFor(added, { timeout: 5_000, message: "the new machine" }).catch(() => null);
  if (!first5s && (await count(d, '[data-testid="machine-submit"]:not([disabled])')) > 0) await d.clickCss('[data-testid="machine-submit"]');
  const id = first5s ?? await d
    .waitFor(added, { timeout: 20_000, message: "the new machine in the list" })
    .catch(async (e) => {
      // say what the form shows (a field error, a refusal) rather than only "timed out"
      const form = await d.execute('const f = document.querySelector(\'[data-testid="machine-form"]\'); return f ? f.innerText : null;');
      throw new Error(`${e.message}; the form says: ${form}`);
    });
  await h.shot("machine-added");
  return { id, nodeId: first };
}

export const card = (machineId) => `[data-testid="machine-card"][data-machine-id="${machineId}"]`;

export async function gotoFleet(h, machineId) {
  const { d } = h;
  await d.clickCss('[data-testid="nav-fleet"]');
  await d.waitEl(`${card(machineId)} [data-testid="new-vm"]`, { timeout: 30_000, enabled: true });
}

export function vmIds(d) {
  return d.execute('return [...document.querySelectorAll(\'[data-testid="vm-row"]\')].map((r) => r.dataset.taskId);');
}

/** Creates a VM with the suggested defaults (plus `edit`) and returns its task id. */
export async function createVm(h, machineId, edit = {}) {
  const { d } = h;
  await gotoFleet(h, machineId);
  const before = new Set(await vmIds(d));
  await d.clickCss(`${card(machineId)} [data-testid="new-vm"]`);
  await d.waitEl('[data-testid="create-form"]');
  await setValue(d, '[data-testid="create-desc"]', "e2e");
  for (const [k, v] of Object.entries(edit)) await setValue(d, `[data-testid="create-${k}"]`, v);
  await h.shot("create-form");
  await d.clickCss('[data-testid="create-submit"]');
  const id = await newVmRow(h, before);
  await h.shot("vm-created");
  return id;
}

/** After "Create VM": the id of the row that was not in `before` (a create error fails fast). */
export function newVmRow(h, before) {
  const { d } = h;
  return d.waitFor(
    async () => {
      const err = await d.execute('const e = document.querySelector(\'[data-testid="create-error"]\'); return e ? e.textContent : null;');
      if (err) throw Object.assign(new Error(`create failed: ${err}`), { fatal: true });
      return (await vmIds(d)).find((x) => !before.has(x));
    },
    { timeout: 60_000, message: "the new VM row" },
  );
}

export function vmStatus(d, taskId) {
  return attr(d, `[data-testid="vm-row"][data-task-id="${taskId}"]`, "data-status");
}

export async function waitStatus(h, taskId, status, timeout = 60_000) {
  const { d } = h;
  const seen = [];
  await d.waitFor(
    async () => {
      const s = await vmStatus(d, taskId);
      if (s && seen[seen.length - 1] !== s) seen.push(s);
      return s === status;
    },
    { timeout, interval: 300, message: `VM ${taskId} to be "${status}"` },
  ).catch((e) => {
    throw new Error(`${e.message}; statuses seen: ${seen.join(" → ")}`);
  });
  return seen;
}

export async function openVm(h, taskId) {
  const { d } = h;
  await d.clickCss(`[data-testid="vm-row"][data-task-id="${taskId}"] [data-testid="vm-open"]`);
  await d.waitEl('[data-testid="vm-detail"]');
}
