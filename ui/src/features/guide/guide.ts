// The first-run guide's steps, decided from what is configured (pure: no IPC, no runes).
//
// 1. wallet  — done when the user has a wallet of their own (the demo wallet does not count).
// 2. machine — done when a machine is configured; demo machines count only on the demo network.
// 3. vm      — done when the user created a VM (the activity centre saw it), or, off the demo
//              network, when one of the machines shows a VM (the demo's own VMs do not count).
//
// The current step is the one after the furthest step that is done: someone who signs with a
// shared session (no wallet), or who uses the demo machines, goes straight on to the next step.

export type StepId = "wallet" | "machine" | "vm";

export const STEPS: readonly StepId[] = ["wallet", "machine", "vm"];

/** The wallet id Rust gives the demo wallet (src-tauri/src/wallets.rs, DEMO_WALLET_ID). */
export const DEMO_WALLET_ID = "demo";

/** What the guide looks at; `null` = not known (yet), counted as not done. */
export interface GuideFacts {
  /** The built-in demo network is in use. */
  demo: boolean;
  wallets: readonly { id: string }[] | null;
  machines: readonly { id: string; demo?: boolean }[] | null;
  /** The fleet as last polled: each machine with its VMs. */
  fleet: readonly { entry: { id: string; demo?: boolean }; tasks: readonly unknown[] }[] | null;
  /** VM creates the activity centre followed (not failed). */
  created?: number;
}

export interface StepView {
  id: StepId;
  done: boolean;
  current: boolean;
  /** Not needed on the demo network (its wallet and machines are ready). */
  optional: boolean;
}

export interface GuideView {
  steps: StepView[];
  /** The step to do next; null when the last step is done. */
  current: StepId | null;
  finished: boolean;
}

const counts = (demoNetwork: boolean, m: { demo?: boolean }) => m.demo !== true || demoNetwork;

/** Wallets the user added (the demo wallet aside). */
export function userWallets<W extends { id: string }>(wallets: readonly W[] | null): W[] {
  return (wallets ?? []).filter((w) => w.id !== DEMO_WALLET_ID);
}

/** Whether each step's condition holds. */
export function stepsDone(f: GuideFacts): Record<StepId, boolean> {
  const machines = (f.machines ?? []).filter((m) => counts(f.demo, m));
  const vms = (f.fleet ?? []).filter((m) => counts(f.demo, m.entry)).reduce((n, m) => n + m.tasks.length, 0);
  return {
    wallet: userWallets(f.wallets).length > 0,
    machine: machines.length > 0,
    vm: (f.created ?? 0) > 0 || (!f.demo && vms > 0),
  };
}

export function guideView(f: GuideFacts): GuideView {
  const done = stepsDone(f);
  let last = -1;
  STEPS.forEach((s, i) => {
    if (done[s]) last = i;
  });
  const current = last + 1 < STEPS.length ? STEPS[last + 1] : null;
  return {
    steps: STEPS.map((id) => ({ id, done: done[id], current: id === current, optional: f.demo && id !== "vm" })),
    current,
    finished: current === null,
  };
}
