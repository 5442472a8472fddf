import { describe, expect, it } from "vitest";
import { FALLBACK_TITLES, errorLine, fieldErrors, formatError, isAmbiguous, unplacedErrors } from "./errors";
import type { AppError, ErrorCode, ErrorKey } from "./ipc";

// A key this build does not know (a newer backend): Rust's English words, then a title per code.
const base: AppError = { code: "timeout", key: "newer_key" as ErrorKey, params: {}, title: "", message: "", hint: null, reply: null, fields: [] };

describe("formatError", () => {
  it("uses the backend's words", () => {
    const f = formatError({ ...base, title: "The machine did not answer in time", message: "No answer after 30 s.", hint: "Try again in a minute." });
    expect(f).toEqual({ title: "The machine did not answer in time", message: "No answer after 30 s.", hint: "Try again in a minute.", nodeReply: null });
  });
  it("falls back to a plain title per code", () => {
    expect(formatError(base).title).toMatch(/too long/);
    expect(formatError({ ...base, code: "missing" }).title).toMatch(/not set up/);
    expect(formatError({ ...base, code: "conflict" }).title).toMatch(/in use/);
    // A code from a newer backend still gets a title.
    expect(formatError({ ...base, code: "weird" as ErrorCode }).title).toMatch(/went wrong/);
  });
  it("has a distinct title for every code of the typed union", () => {
    const codes: ErrorCode[] = ["validation", "auth", "not_found", "wrong_state", "rejected", "gateway", "timeout", "transport", "decode", "ambiguous_outcome", "reply_too_large", "redirect", "vault", "settings", "missing", "conflict", "chain", "internal"];
    expect(Object.keys(FALLBACK_TITLES).sort()).toEqual([...codes].sort());
    expect(new Set(codes.map((c) => FALLBACK_TITLES[c])).size).toBe(codes.length);
  });
  it("formats the node reply", () => {
    const f = formatError({ ...base, reply: { status: 500, errcode: -1, message: "shutdown timeout" } });
    expect(f.nodeReply).toBe("HTTP 500, errcode -1: shutdown timeout");
  });
  it("builds a message from fields when none is given", () => {
    const f = formatError({ ...base, code: "validation", fields: [{ field: "vnc_port", rule: "range", params: { min: "5900", max: "65535" }, message: "too low" }] });
    expect(f.message).toBe("vnc_port: must be between 5900 and 65535");
    expect(errorLine({ ...base, title: "T", message: "M" })).toBe("T: M");
  });
  it("a known key takes the catalog's words, the node's text verbatim, and no English hint", () => {
    const e: AppError = { ...base, code: "rejected", key: "rejected", params: { node: "allocate gpu failed" }, title: "x", message: "y", hint: "z" };
    expect(formatError(e)).toMatchObject({ title: "The machine refused the request", message: "The machine says: allocate gpu failed.", hint: null });
    const v: AppError = { ...base, code: "validation", key: "validation", params: { fields: "English list" }, fields: [{ field: "disk", rule: "system", message: "x" }] };
    expect(formatError(v).message).toBe("disk: the system disk vda cannot be deleted");
  });
  it("detects ambiguous outcomes", () => {
    expect(isAmbiguous({ ...base, code: "ambiguous_outcome" })).toBe(true);
    expect(isAmbiguous(base)).toBe(false);
  });
});

describe("fieldErrors", () => {
  it("maps wire names; the first error of a field wins", () => {
    const m = fieldErrors([
      { field: "vnc_port", rule: "range", message: "too low" },
      { field: "vnc_port", rule: "x", message: "second" },
      { field: "custom_port[1]", rule: "format", message: "bad" },
      { field: "custom_port[2]", rule: "format", message: "worse" },
    ]);
    expect(m.vnc_port).toBe("too low");
    expect(m.custom_port).toBe("line 2: bad");
    expect(m["custom_port[1]"]).toBeUndefined();
    expect(fieldErrors(null)).toEqual({});
  });
  it("renames fields to the form's keys", () => {
    const m = fieldErrors([{ field: "size", rule: "range", message: "at least 1" }, { field: "disk", rule: "format", message: "vdb" }], { keys: { size: "grow_size" } });
    expect(m).toEqual({ grow_size: "at least 1", disk: "vdb" });
  });
  it("words a known rule from the catalog with its params; a missing param keeps Rust's words", () => {
    const m = fieldErrors([
      { field: "vnc_port", rule: "range", params: { min: "5900", max: "65535" }, message: "x" },
      { field: "ssh_port", rule: "range", message: "Rust's words" },
      { field: "network_name", rule: "refused", params: { node: "network name already existed" }, message: "x" },
    ]);
    expect(m).toEqual({ vnc_port: "must be between 5900 and 65535", ssh_port: "Rust's words", network_name: "network name already existed" });
  });
  it("names the textarea line the user sees, skipping blank lines", () => {
    const text = "tcp,8080\n\n  \nudp,7000\r\ntcp/udp,1";
    const m = fieldErrors([{ field: "new_custom_port[2]", rule: "format", message: "one protocol per line" }], {
      keys: { new_custom_port: "ports" },
      lines: { ports: text },
    });
    expect(m).toEqual({ ports: "line 5: one protocol per line" });
    // Past the end of the text (it changed meanwhile): the entry's own number.
    expect(fieldErrors([{ field: "custom_port[7]", rule: "f", message: "x" }], { lines: { custom_port: "a" } }).custom_port).toBe("line 8: x");
  });
});

describe("unplacedErrors", () => {
  it("lists the errors of fields the form does not show", () => {
    expect(unplacedErrors({ vnc_port: "a", task_id: "b" }, ["vnc_port"])).toEqual(["task_id: b"]);
    expect(unplacedErrors({ vnc_port: "a" }, ["vnc_port"])).toEqual([]);
  });
});
