import { describe, expect, it } from "vitest";
import { AppCallError, call, toCallError } from "./index";

const err = { code: "timeout", title: "T", message: "M", hint: null, reply: null, fields: [] };

describe("call()", () => {
  it("unwraps ok results", async () => {
    expect(await call(Promise.resolve({ status: "ok" as const, data: 42 }))).toBe(42);
  });
  it("throws an AppCallError carrying the AppError", async () => {
    const p = call(Promise.resolve({ status: "error" as const, error: err }));
    await expect(p).rejects.toBeInstanceOf(AppCallError);
    await expect(p).rejects.toMatchObject({ app: err });
  });
  it("turns a rejected invoke into an internal AppError", async () => {
    const e = await call(Promise.reject(new Error("ipc down"))).catch((x) => x);
    expect(e).toBeInstanceOf(AppCallError);
    expect(e.app.code).toBe("internal");
    expect(e.app.message).toBe("ipc down");
  });
  it("fills missing optional fields of an AppError", () => {
    const e = toCallError({ code: "auth", title: "No", message: "m" });
    expect(e.app.fields).toEqual([]);
    expect(e.app.reply).toBeNull();
    expect(e.app.hint).toBeNull();
  });
});
