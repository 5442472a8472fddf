// The port planner and private networks in the create form: a port another VM of the machine
// uses is refused as it is typed, "Suggest free ports" fixes it, and the VM is created into a
// LAN made through the UI, with the suggested ports.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, setValue, textOf } from "./harness.mjs";
import { card, gotoFleet, newVmRow, vmIds, waitStatus } from "./flows.mjs";

let h;
before(async () => {
  h = await launch("ports-lan");
});
after(async () => {
  await h?.stop();
});

async function invoke(d, cmd, args) {
  const r = await d.executeAsync(
    `const cb = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => cb({ ok: v }), (e) => cb({ err: e }));`,
    [cmd, args],
  );
  if (r.err) throw new Error(`${cmd}: ${JSON.stringify(r.err)}`);
  return r.ok;
}

const M = "demo-1";

test("a VM created into a LAN with suggested, non-colliding ports", { timeout: 240_000 }, async () => {
  const { d } = h;
  const plan = await invoke(d, "port_plan", { machineId: M });
  const taken = plan.plan.used.find((u) => u.kind === "vnc");
  assert.ok(taken, `the demo VM's VNC port is in the plan: ${JSON.stringify(plan)}`);

  // A private network, through the machine's menu.
  await gotoFleet(h, M);
  await d.clickCss(`${card(M)} [data-testid="machine-menu"]`);
  await d.clickCss('[data-testid="lan-open"]');
  await d.waitEl('[data-testid="lan-list"], [data-testid="lan-empty"]', { timeout: 20_000 });
  await setValue(d, '[data-testid="lan-name"]', "e2elan");
  await setValue(d, '[data-testid="lan-cidr-input"]', "192.168.88.0/24");
  await d.clickCss('[data-testid="lan-create"]');
  await d.waitEl('[data-testid="lan-row"][data-name="e2elan"]', { timeout: 60_000 });
  await d.clickCss('[data-testid="lan-dialog-close"]');

  // The form: free ports suggested; a taken one is refused as typed; Suggest fixes it.
  const before = new Set(await vmIds(d));
  await d.clickCss(`${card(M)} [data-testid="new-vm"]`);
  await d.waitEl('[data-testid="ports-used"]', { timeout: 20_000 });
  const vnc = () => d.execute('return document.querySelector(\'[data-testid="create-vnc-port"]\').value;');
  await d.waitFor(async () => (await vnc()) === plan.suggested.vnc_port, { message: "the suggested VNC port" });
  await setValue(d, '[data-testid="create-vnc-port"]', String(taken.from));
  await d.waitEl('[data-testid="field-error-vnc_port"]', { timeout: 10_000 });
  assert.match((await textOf(d, '[data-testid="field-error-vnc_port"]')) ?? "", /used by VM/);
  await h.shot("port-taken");
  await d.clickCss('[data-testid="create-suggest-ports"]');
  await d.waitFor(async () => (await vnc()) === plan.suggested.vnc_port, { message: "the suggestion back" });
  await d.waitFor(async () => (await d.execute('return !document.querySelector(\'[data-testid="field-error-vnc_port"]\');')), { message: "the error gone" });
  await d.waitFor(async () => (await d.execute('return [...document.querySelectorAll(\'[data-testid="create-lan"] option\')].some((o) => o.value === "e2elan");')), {
    timeout: 20_000,
    message: "the LAN offered",
  });
  await setValue(d, '[data-testid="create-lan"]', "e2elan");
  await setValue(d, '[data-testid="create-desc"]', "in a LAN");
  await h.shot("create-in-lan");
  await d.clickCss('[data-testid="create-submit"]');
  const id = await newVmRow(h, before);
  await waitStatus(h, id, "running", 90_000);
  const view = await invoke(d, "task_get", { opts: { machine_id: M, task_id: id } });
  assert.equal(view.detail.network_name, "e2elan");
  assert.equal(view.detail.vnc_port, plan.suggested.vnc_port);
  const after = await invoke(d, "port_plan", { machineId: M });
  assert.ok(after.plan.used.some((u) => u.task_id === id && u.kind === "vnc"), JSON.stringify(after.plan.used));
  await h.shot("created-in-lan");
});
