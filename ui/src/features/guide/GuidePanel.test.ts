// @vitest-environment happy-dom
// The guide panel mounted with a fake backend (the IPC door's commands replaced): its steps
// follow the wallets, machines and fleet; its buttons navigate, hide and mark it done.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import GuidePanel from "./GuidePanel.svelte";
import { askForm, guide, guideShown, reopenGuide, takeAsk } from "./guideState.svelte";
import { app, bump } from "../../lib/state.svelte";
import { fleet } from "../fleet/fleetState.svelte";
import { vmTable } from "../fleet/vmTableState.svelte";
import { setLocale } from "../../lib/i18n.svelte";
import type { AppInfo, FleetMachine } from "../../lib/ipc";

const demoInfo = { url: "http://127.0.0.1:1", wallet_address: "5Demo", machines: [], chain_url: "ws://127.0.0.1:2" };
const info = (o: Partial<AppInfo> = {}) => ({ version: "0.1.0", demo: null, client_url: null, settings_warning: null, vault: {}, guide_done: false, ...o }) as AppInfo;
const machine = (id: string, demo = false) => ({ id, label: id, node_id: "n", rent_order: null, auth: { kind: "wallet", wallet_id: "w1" }, demo });

const fake = vi.hoisted(() => ({ wallets: [] as unknown[], machines: [] as unknown[], calls: [] as [string, unknown][] }));
vi.mock("../../lib/ipc", async (original) => {
  const ok = (name: string, args: unknown, data: unknown) => {
    fake.calls.push([name, args]);
    return Promise.resolve({ status: "ok", data });
  };
  const real = await original<typeof import("../../lib/ipc")>();
  return {
    ...real,
    commands: {
      walletList: () => ok("wallet_list", undefined, fake.wallets),
      machineList: () => ok("machine_list", undefined, fake.machines),
      guideDone: (done: boolean) => ok("guide_done", { done }, null),
    },
  };
});

let target: HTMLElement;
let panel: ReturnType<typeof mount> | null = null;

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
};
const q = (id: string) => target.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const steps = () => [...target.querySelectorAll<HTMLElement>('[data-testid="guide-step"]')].map((e) => `${e.dataset.step}:${e.dataset.done}`);

async function show() {
  panel = mount(GuidePanel, { target });
  await settle();
}

beforeEach(() => {
  fake.wallets = [];
  fake.machines = [];
  fake.calls = [];
  app.info = info();
  app.route = "fleet";
  fleet.list = null;
  guide.hidden = false;
  guide.ask = null;
  target = document.createElement("div");
  document.body.appendChild(target);
});

afterEach(() => {
  if (panel) unmount(panel);
  panel = null;
  target.remove();
  setLocale("en");
});

describe("guide panel", () => {
  it("is a labelled region with three steps, the first one current", async () => {
    await show();
    const g = q("guide")!;
    expect(g.getAttribute("role")).toBe("region");
    expect(g.getAttribute("aria-label")).toBe("First-run guide");
    expect(steps()).toEqual(["wallet:false", "machine:false", "vm:false"]);
    expect(target.querySelector('[aria-current="step"]')?.getAttribute("data-step")).toBe("wallet");
    expect(q("guide-skip")).not.toBeNull();
    expect(q("guide-done")).toBeNull();
    expect(q("guide-demo")).toBeNull();
    // every control has an accessible name
    for (const b of target.querySelectorAll("button")) expect((b.getAttribute("aria-label") ?? b.textContent ?? "").trim()).not.toBe("");
  });

  it("re-evaluates as wallets, machines and VMs appear", async () => {
    await show();
    fake.wallets = [{ id: "w1", name: "Mine", address: "5Mine" }];
    bump();
    await settle();
    expect(steps()).toEqual(["wallet:true", "machine:false", "vm:false"]);
    fake.machines = [machine("m1")];
    bump();
    await settle();
    expect(steps()).toEqual(["wallet:true", "machine:true", "vm:false"]);
    fleet.list = [{ entry: machine("m1"), tasks: [{ task_id: "t1" }] }] as unknown as FleetMachine[];
    await settle();
    expect(steps()).toEqual(["wallet:true", "machine:true", "vm:true"]);
    expect(q("guide-finished")).not.toBeNull();
    expect(q("guide-skip")).toBeNull();
  });

  it("on the demo network: says so, the demo machines count, the demo wallet does not", async () => {
    app.info = info({ demo: demoInfo });
    fake.wallets = [{ id: "demo", name: "Demo", address: "5Demo" }];
    fake.machines = [machine("demo-1", true)];
    await show();
    expect(q("guide-demo")).not.toBeNull();
    expect(steps()).toEqual(["wallet:false", "machine:true", "vm:false"]);
    expect(target.querySelector('[aria-current="step"]')?.getAttribute("data-step")).toBe("vm");
    q("guide-settings")!.click();
    expect(app.route).toBe("settings");
  });

  it("a step's button goes to its page and asks it to open the form", async () => {
    await show();
    q("guide-go-wallet")!.click();
    expect(app.route).toBe("wallets");
    expect(guide.ask?.form).toBe("wallet");
    q("guide-go-machine")!.click();
    expect(app.route).toBe("machines");
    expect(guide.ask?.form).toBe("machine");
    vmTable.view = "table";
    q("guide-go-vm")!.click();
    expect(app.route).toBe("fleet");
    expect(vmTable.view).toBe("cards");
    expect(guide.ask?.form).toBe("vm");
  });

  it("Skip and Done mark the guide done; Esc only hides it for now", async () => {
    await show();
    q("guide-skip")!.click();
    await settle();
    expect(fake.calls).toContainEqual(["guide_done", { done: true }]);
    expect(app.info?.guide_done).toBe(true);
    expect(guideShown()).toBe(false);

    app.info = info();
    fake.calls = [];
    q("guide")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await settle();
    expect(guide.hidden).toBe(true);
    expect(guideShown()).toBe(false);
    expect(fake.calls.some(([c]) => c === "guide_done")).toBe(false);
  });

  it("the Guide button shows it again: done is cleared through Rust, hidden is just undone", async () => {
    app.info = info({ guide_done: true });
    await reopenGuide();
    expect(fake.calls).toContainEqual(["guide_done", { done: false }]);
    expect(app.info?.guide_done).toBe(false);
    expect(guideShown()).toBe(true);
    guide.hidden = true;
    fake.calls = [];
    await reopenGuide();
    expect(fake.calls).toEqual([]);
    expect(guideShown()).toBe(true);
  });

  it("a page takes the guide's ask once, only its own, and not a stale one", () => {
    askForm("machine");
    expect(takeAsk("wallet")).toBe(false);
    expect(takeAsk("machine")).toBe(true);
    expect(takeAsk("machine")).toBe(false);
    guide.ask = { form: "vm", at: Date.now() - 60_000 };
    expect(takeAsk("vm")).toBe(false);
    expect(guide.ask).toBeNull();
  });

  it("speaks the chosen language", async () => {
    setLocale("ko");
    await show();
    expect(q("guide")!.getAttribute("aria-label")).toBe("첫 실행 안내");
    setLocale("zh-CN");
    flushSync();
    expect(q("guide")!.getAttribute("aria-label")).toBe("首次使用向导");
  });
});
