import { describe, expect, it } from "vitest";
import { guideView, stepsDone, userWallets, type GuideFacts } from "./guide";

const none: GuideFacts = { demo: false, wallets: [], machines: [], fleet: [] };
const demoWallet = { id: "demo" };
const demoMachine = { id: "demo-1", demo: true };
const mine = { id: "m1" };
const withVm = (entry: { id: string; demo?: boolean }, n = 1) => ({ entry, tasks: Array.from({ length: n }, (_, i) => ({ task_id: `t${i}` })) });

const summary = (f: GuideFacts) => {
  const v = guideView(f);
  return { current: v.current, finished: v.finished, done: v.steps.map((s) => `${s.id}:${s.done ? 1 : 0}`).join(" ") };
};

describe("guide steps", () => {
  it("starts at the wallet when nothing is configured (or nothing is known yet)", () => {
    expect(summary(none)).toEqual({ current: "wallet", finished: false, done: "wallet:0 machine:0 vm:0" });
    expect(summary({ demo: false, wallets: null, machines: null, fleet: null })).toEqual({ current: "wallet", finished: false, done: "wallet:0 machine:0 vm:0" });
  });

  it("a wallet of the user's own finishes step 1; the demo wallet does not", () => {
    expect(userWallets([demoWallet, { id: "w1" }])).toEqual([{ id: "w1" }]);
    expect(stepsDone({ ...none, demo: true, wallets: [demoWallet] }).wallet).toBe(false);
    expect(summary({ ...none, wallets: [{ id: "w1" }] })).toEqual({ current: "machine", finished: false, done: "wallet:1 machine:0 vm:0" });
  });

  it("a machine finishes step 2; demo machines count only on the demo network", () => {
    expect(stepsDone({ ...none, machines: [demoMachine] }).machine).toBe(false);
    expect(stepsDone({ ...none, demo: true, machines: [demoMachine] }).machine).toBe(true);
    expect(summary({ ...none, wallets: [{ id: "w1" }], machines: [mine] })).toEqual({ current: "vm", finished: false, done: "wallet:1 machine:1 vm:0" });
  });

  it("a VM on a counted machine finishes step 3 and the guide", () => {
    expect(stepsDone({ ...none, fleet: [withVm(mine, 0)] }).vm).toBe(false);
    expect(stepsDone({ ...none, fleet: [withVm(demoMachine)] }).vm).toBe(false);
    // the demo network's own VMs are not the user's first VM; one the user created is
    expect(stepsDone({ ...none, demo: true, fleet: [withVm(demoMachine)] }).vm).toBe(false);
    expect(stepsDone({ ...none, demo: true, fleet: [withVm(demoMachine)], created: 1 }).vm).toBe(true);
    const f = { ...none, wallets: [{ id: "w1" }], machines: [mine], fleet: [withVm(mine, 0), withVm({ id: "m2" }, 2)] };
    expect(summary(f)).toEqual({ current: null, finished: true, done: "wallet:1 machine:1 vm:1" });
    expect(guideView(f).steps.some((s) => s.current)).toBe(false);
  });

  it("on the demo network steps 1–2 are optional and the guide points at the first VM", () => {
    const v = guideView({ demo: true, wallets: [demoWallet], machines: [demoMachine], fleet: [withVm(demoMachine, 0)] });
    expect(v.current).toBe("vm");
    expect(v.steps.map((s) => [s.id, s.done, s.optional, s.current])).toEqual([
      ["wallet", false, true, false],
      ["machine", true, true, false],
      ["vm", false, false, true],
    ]);
    expect(guideView(none).steps.every((s) => !s.optional)).toBe(true);
  });

  it("a machine signed by a shared session (no wallet) moves on past the wallet step", () => {
    expect(summary({ ...none, machines: [mine] })).toEqual({ current: "vm", finished: false, done: "wallet:0 machine:1 vm:0" });
  });

  it("re-evaluates as things are removed", () => {
    expect(guideView({ ...none, wallets: [{ id: "w1" }], machines: [] }).current).toBe("machine");
    expect(guideView({ ...none, wallets: [], machines: [] }).current).toBe("wallet");
  });
});
