import { describe, expect, it } from "vitest";
import { copyText } from "./clipboard";

function fakeDoc(result: boolean) {
  const appended: { value: string }[] = [];
  let copiedValue: string | null = null;
  const body = {
    appendChild: (el: { value: string }) => appended.push(el),
    removeChild: (el: { value: string }) => appended.splice(appended.indexOf(el), 1),
  };
  const doc = {
    body,
    activeElement: null,
    createElement: () => {
      const el = { value: "", style: {} as Record<string, string>, setAttribute: () => {}, select: () => {} };
      return el;
    },
    execCommand: (cmd: string) => {
      if (cmd === "copy" && appended.length) copiedValue = appended[appended.length - 1].value;
      return result;
    },
  };
  return { doc: doc as unknown as Document, appended, copied: () => copiedValue };
}

describe("copyText", () => {
  it("uses the async clipboard when it works", async () => {
    let got = "";
    const ok = await copyText("abc", { clipboard: { writeText: async (s) => { got = s; } }, doc: null });
    expect(ok).toBe(true);
    expect(got).toBe("abc");
  });
  it("falls back to a hidden textarea when the async API refuses", async () => {
    const f = fakeDoc(true);
    const ok = await copyText("ssh -p 1 a@b", { clipboard: { writeText: async () => { throw new Error("NotAllowed"); } }, doc: f.doc });
    expect(ok).toBe(true);
    expect(f.copied()).toBe("ssh -p 1 a@b");
    expect(f.appended.length).toBe(0);
  });
  it("falls back when there is no async API, and reports failure", async () => {
    const f = fakeDoc(false);
    expect(await copyText("x", { clipboard: null, doc: f.doc })).toBe(false);
    expect(await copyText("x", { clipboard: null, doc: null })).toBe(false);
  });
});
