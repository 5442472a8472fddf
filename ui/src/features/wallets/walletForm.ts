import type { WalletImport } from "../../lib/ipc";
import { t } from "../../lib/i18n.svelte";

export type WalletKind = WalletImport["kind"];

export interface WalletForm {
  name: string;
  kind: WalletKind;
  seed: string;
  mnemonic: string;
  derivation: string;
  password: string;
  keystore: string;
  keystorePassword: string;
}

export function emptyWalletForm(): WalletForm {
  return { name: "", kind: "seed", seed: "", mnemonic: "", derivation: "", password: "", keystore: "", keystorePassword: "" };
}

/** Normalises a seed: trims, drops a 0x prefix. */
export function normSeed(s: string): string {
  const x = s.trim();
  return x.startsWith("0x") || x.startsWith("0X") ? x.slice(2) : x;
}

export function normMnemonic(s: string): string {
  return s.trim().split(/\s+/).join(" ");
}

export function toWalletImport(f: WalletForm): WalletImport {
  switch (f.kind) {
    case "seed":
      return { name: f.name.trim(), kind: "seed", secret: normSeed(f.seed), derivation: "", password: "" };
    case "mnemonic":
      return { name: f.name.trim(), kind: "mnemonic", secret: normMnemonic(f.mnemonic), derivation: f.derivation.trim(), password: f.password };
    case "keystore":
      return { name: f.name.trim(), kind: "keystore", secret: f.keystore, derivation: "", password: f.keystorePassword };
  }
}

/** Quick checks; keys are wire names (name, secret, password, derivation). */
export function validateWallet(f: WalletForm): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.name.trim()) e.name = t("wallets.check.name");
  if (f.kind === "seed") {
    const s = normSeed(f.seed);
    if (!s) e.secret = t("wallets.check.seedMissing");
    else if (!/^[0-9a-fA-F]{64}$/.test(s)) e.secret = t("wallets.check.seedFormat");
  } else if (f.kind === "mnemonic") {
    const n = normMnemonic(f.mnemonic).split(" ").filter(Boolean).length;
    if (n === 0) e.secret = t("wallets.check.mnemonicMissing");
    else if (![12, 15, 18, 21, 24].includes(n)) e.secret = t("wallets.check.mnemonicWords");
    if (f.derivation.trim() && !f.derivation.trim().startsWith("/")) e.derivation = t("wallets.check.derivation");
  } else {
    if (!f.keystore.trim()) e.secret = t("wallets.check.keystoreMissing");
    if (!f.keystorePassword) e.password = t("wallets.check.keystorePassword");
  }
  return e;
}
