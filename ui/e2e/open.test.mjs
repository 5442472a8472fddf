// "Open in terminal" (issue 10.6): the VM's SSH session starts in the user's terminal ($TERMINAL,
// here a script that records its arguments) with the checked values as separate arguments.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, textOf } from "./harness.mjs";
import { addDemoMachine, addSeedWallet, gotoFleet, openVm, vmIds } from "./flows.mjs";

const dir = mkdtempSync(join(tmpdir(), "dbc-desk-e2e-term-"));
const rec = join(dir, "args");
const term = join(dir, "terminal");
writeFileSync(term, `#!/bin/sh\nprintf '%s\\n' "$@" > '${rec}'\n`);
chmodSync(term, 0o755);

let h;
before(async () => {
  h = await launch("open", { env: { TERMINAL: term } });
});
after(async () => {
  await h?.stop();
});

test("Open in terminal runs ssh with the VM's checked values", { timeout: 120_000 }, async () => {
  const { d } = h;
  await addSeedWallet(h);
  const { id } = await addDemoMachine(h, { prefer: "gpu-node-alpha" });
  await gotoFleet(h, id);
  const [taskId] = await vmIds(d);
  assert.ok(taskId, "the demo machine has a VM");
  await openVm(h, taskId);
  const ssh = (await d.waitFor(() => textOf(d, '[data-testid="ssh-command"]'), { timeout: 20_000, message: "the SSH command" })).trim();
  await d.clickCss('[data-testid="open-ssh"]');
  await d.waitFor(() => existsSync(rec) && readFileSync(rec, "utf8").length > 0, { timeout: 10_000, message: "the terminal to start" });
  assert.deepEqual(readFileSync(rec, "utf8").trim().split("\n"), ["-e", ...ssh.split(" ")]);
  await h.shot("opened-ssh");
});
