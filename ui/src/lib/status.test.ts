import { describe, expect, it } from "vitest";
import { allowedActions, classifyStatus, isTransitional, statusLabel } from "./status";

describe("status classification", () => {
  it("classifies the known statuses", () => {
    expect(classifyStatus("running")).toBe("ok");
    expect(classifyStatus("closed")).toBe("off");
    expect(classifyStatus("pmsuspend")).toBe("off");
    for (const s of ["creating", "starting", "being shutdown", "being poweroff", "restarting", "resetting", "deleting",
      "disk resizing", "disk adding", "disk deleting", "snapshot creating"]) {
      expect(classifyStatus(s), s).toBe("busy");
      expect(isTransitional(s), s).toBe(true);
    }
    for (const s of ["create error", "start error", "shutdown error", "poweroff error", "restart error", "reset error",
      "delete error", "resize disk error", "add disk error", "delete disk error", "create snapshot error", "error"]) {
      expect(classifyStatus(s), s).toBe("error");
      expect(isTransitional(s), s).toBe(false);
    }
    expect(classifyStatus("none")).toBe("neutral");
  });
  it("tolerates case and spacing", () => {
    expect(classifyStatus("  Being  Shutdown ")).toBe("busy");
  });
  it("shows unknown statuses verbatim with a neutral badge", () => {
    expect(classifyStatus("hibernating")).toBe("neutral");
    expect(statusLabel("hibernating")).toBe("hibernating");
    expect(isTransitional("hibernating")).toBe(false);
  });
  it("offers sensible actions", () => {
    expect(allowedActions("running").has("shutdown")).toBe(true);
    expect(allowedActions("running").has("start")).toBe(false);
    expect(allowedActions("closed").has("start")).toBe(true);
    expect(allowedActions("closed").has("shutdown")).toBe(false);
    expect([...allowedActions("deleting")]).toEqual([]);
    expect(allowedActions("weird").has("start")).toBe(true);
  });
});
