import { describe, expect, it } from "vitest";
import { emptyMachineForm, formFromEntry, shortId, toMachineInput, validateMachine } from "./machineForm";

describe("machine form", () => {
  it("wallet auth", () => {
    const f = { ...emptyMachineForm("w1"), node_id: " abc ", rent_order: " 7 " };
    expect(validateMachine(f)).toEqual({});
    expect(toMachineInput(f)).toEqual({ label: "abc", node_id: "abc", rent_order: "7", wallet_id: "w1", session_id: null, session_id_sign: null, multisig: null });
    expect(validateMachine({ ...f, wallet_id: "" }).wallet_id).toBeTruthy();
    expect(validateMachine({ ...f, node_id: "" }).node_id).toBeTruthy();
  });
  it("session auth", () => {
    const f = { ...emptyMachineForm("w1"), label: "L", node_id: "n", auth: "session" as const, session_id: "s", session_id_sign: "sig" };
    expect(validateMachine(f)).toEqual({});
    expect(toMachineInput(f)).toEqual({ label: "L", node_id: "n", rent_order: "", wallet_id: null, session_id: "s", session_id_sign: "sig", multisig: null });
    expect(validateMachine({ ...f, session_id_sign: "" }).session_id_sign).toBeTruthy();
  });
  it("editing starts from the saved machine and may keep the stored session signature", () => {
    const f = formFromEntry({ id: "m1", label: "Box", node_id: "ab", rent_order: "12", auth: { kind: "session", session_id: "S1" }, demo: false });
    expect(f).toMatchObject({ label: "Box", node_id: "ab", rent_order: "12", auth: "session", session_id: "S1", session_id_sign: "" });
    expect(validateMachine(f, "S1")).toEqual({});
    expect(validateMachine({ ...f, session_id: "S2" }, "S1").session_id_sign).toBeTruthy();
    const w = formFromEntry({ id: "m2", label: "W", node_id: "cd", rent_order: null, auth: { kind: "wallet", wallet_id: "w9" }, demo: false });
    expect(w).toMatchObject({ auth: "wallet", wallet_id: "w9", rent_order: "" });
  });
  it("multisig auth: members one per line, the signing wallets, the threshold as typed", () => {
    const f = { ...emptyMachineForm("w1"), node_id: "n", auth: "multisig" as const, ms_members: " 5A \n\n5B ", ms_threshold: " 2 ", ms_signers: ["w1", "w2"] };
    expect(toMachineInput(f)).toMatchObject({ wallet_id: null, session_id: null, multisig: { members: ["5A", "5B"], threshold: "2", signer_ids: ["w1", "w2"] } });
    const back = formFromEntry({ id: "m3", label: "M", node_id: "n", rent_order: "9", auth: { kind: "multisig", members: ["5A", "5B"], threshold: 2, signer_ids: ["w1"] }, demo: false });
    expect(back).toMatchObject({ auth: "multisig", ms_members: "5A\n5B", ms_threshold: "2", ms_signers: ["w1"] });
  });
  it("short ids", () => {
    expect(shortId("0123456789abcdefghij")).toBe("012345…efghij");
    expect(shortId("short")).toBe("short");
  });
});
