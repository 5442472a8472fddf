// @vitest-environment happy-dom
// A step's button asks its page to open the add form: the Wallets and Machines pages take the
// ask when they open (and when already open), and only their own.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import WalletsPage from "../wallets/WalletsPage.svelte";
import MachinesPage from "../machines/MachinesPage.svelte";
import { askForm, guide } from "./guideState.svelte";

// Every command answers an empty list (the pages only list things here).
vi.mock("../../lib/ipc", async (original) => {
  const real = await original<typeof import("../../lib/ipc")>();
  const commands = new Proxy({}, { get: () => () => Promise.resolve({ status: "ok", data: [] }) });
  return { ...real, commands };
});

let target: HTMLElement;
let page: ReturnType<typeof mount> | null = null;

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
};
const has = (id: string) => target.querySelector(`[data-testid="${id}"]`) !== null;

beforeEach(() => {
  guide.ask = null;
  target = document.createElement("div");
  document.body.appendChild(target);
});

afterEach(() => {
  if (page) unmount(page);
  page = null;
  target.remove();
});

describe("the guide's asks", () => {
  it("the Wallets page opens its form when asked, before or after it opened", async () => {
    askForm("wallet");
    page = mount(WalletsPage, { target });
    await settle();
    expect(has("wallet-form")).toBe(true);
    expect(guide.ask).toBeNull();
    unmount(page);
    page = mount(WalletsPage, { target });
    await settle();
    expect(has("wallet-form")).toBe(false);
    askForm("wallet");
    await settle();
    expect(has("wallet-form")).toBe(true);
  });

  it("the Machines page opens its form for its own ask only", async () => {
    askForm("wallet");
    page = mount(MachinesPage, { target });
    await settle();
    expect(has("machine-form")).toBe(false);
    expect(guide.ask?.form).toBe("wallet");
    askForm("machine");
    await settle();
    expect(has("machine-form")).toBe(true);
    expect(guide.ask).toBeNull();
  });
});
