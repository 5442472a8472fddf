import { describe, expect, it } from "vitest";
import { errorLine, fieldErrors, formatError, isAmbiguous } from "./errors";
import type { AppError } from "./ipc";

const base: AppError = { code: "timeout", title: "", message: "", hint: null, reply: null, fields: [] };

describe("formatError", () => {
  it("uses the backend's words", () => {
    const f = formatError({ ...base, title: "The machine did not answer in time", message: "No answer after 30 s.", hint: "Try again in a minute." });
    expect(f).toEqual({ title: "The machine did not answer in time", message: "No answer after 30 s.", hint: "Try again in a minute.", nodeReply: null });
  });
  it("falls back to a plain title per code", () => {
    expect(formatError(base).title).toMatch(/too long/);
    expect(formatError({ ...base, code: "weird" }).title).toMatch(/went wrong/);
  });
  it("formats the node reply", () => {
    const f = formatError({ ...base, reply: { status: 500, errcode: -1, message: "shutdown timeout" } });
    expect(f.nodeReply).toBe("HTTP 500, errcode -1: shutdown timeout");
  });
  it("builds a message from fields when none is given", () => {
    const f = formatError({ ...base, code: "validation", fields: [{ field: "vnc_port", rule: "range", message: "must be between 5900 and 65535" }] });
    expect(f.message).toBe("vnc_port: must be between 5900 and 65535");
    expect(errorLine({ ...base, title: "T", message: "M" })).toBe("T: M");
  });
  it("detects ambiguous outcomes", () => {
    expect(isAmbiguous({ ...base, code: "ambiguous_outcome" })).toBe(true);
    expect(isAmbiguous(base)).toBe(false);
  });
});

describe("fieldErrors", () => {
  it("maps wire names, including indexed ones", () => {
    const m = fieldErrors([
      { field: "vnc_port", rule: "range", message: "too low" },
      { field: "vnc_port", rule: "x", message: "second" },
      { field: "custom_port[1]", rule: "format", message: "bad" },
    ]);
    expect(m.vnc_port).toBe("too low");
    expect(m["custom_port[1]"]).toBe("bad");
    expect(m.custom_port).toBe("[1] bad");
    expect(fieldErrors(null)).toEqual({});
  });
});
