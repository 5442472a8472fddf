import { describe, expect, it } from "vitest";
import { emptyWalletForm, toWalletImport, validateWallet } from "./walletForm";

const SEED = "b0afb3faa47534b5348b4ea731b75deae179b0e6f13a80bf2fe9c4307bf97fe9";

describe("wallet form", () => {
  it("seed import", () => {
    const f = { ...emptyWalletForm(), name: " Main ", seed: ` 0x${SEED} ` };
    expect(validateWallet(f)).toEqual({});
    expect(toWalletImport(f)).toEqual({ name: "Main", kind: "seed", secret: SEED, derivation: "", password: "" });
    expect(validateWallet({ ...f, seed: "abc" }).secret).toMatch(/64/);
    expect(validateWallet({ ...f, name: "" }).name).toBeTruthy();
  });
  it("mnemonic import normalises spacing", () => {
    const words = "a b c d e f g h i j k l";
    const f = { ...emptyWalletForm(), kind: "mnemonic" as const, name: "M", mnemonic: `  ${words.replace(/ /g, "   ")} `, derivation: "//hard/soft", password: "p" };
    expect(validateWallet(f)).toEqual({});
    expect(toWalletImport(f)).toEqual({ name: "M", kind: "mnemonic", secret: words, derivation: "//hard/soft", password: "p" });
    expect(validateWallet({ ...f, mnemonic: "a b c" }).secret).toMatch(/12/);
    expect(validateWallet({ ...f, derivation: "hard" }).derivation).toBeTruthy();
  });
  it("keystore import needs the file and the password", () => {
    const f = { ...emptyWalletForm(), kind: "keystore" as const, name: "K" };
    const e = validateWallet(f);
    expect(e.secret).toBeTruthy();
    expect(e.password).toBeTruthy();
    const ok = { ...f, keystore: "{}", keystorePassword: "pw" };
    expect(validateWallet(ok)).toEqual({});
    expect(toWalletImport(ok)).toEqual({ name: "K", kind: "keystore", secret: "{}", derivation: "", password: "pw" });
  });
});
