import type { MachineEntry, MachineInput } from "../../lib/ipc";
import { lines } from "../../lib/lines";
import { t } from "../../lib/i18n.svelte";

export interface MachineForm {
  label: string;
  node_id: string;
  rent_order: string;
  auth: "wallet" | "session" | "multisig";
  wallet_id: string;
  session_id: string;
  session_id_sign: string;
  /** Multisig: member addresses, one per line, in the multisig's order. */
  ms_members: string;
  ms_threshold: string;
  /** Multisig: the local wallets that sign. */
  ms_signers: string[];
}

export function emptyMachineForm(walletId = ""): MachineForm {
  return {
    label: "",
    node_id: "",
    rent_order: "",
    auth: "wallet",
    wallet_id: walletId,
    session_id: "",
    session_id_sign: "",
    ms_members: "",
    ms_threshold: "2",
    ms_signers: [],
  };
}

/** The form for editing a saved machine. A shared session's signature is never sent back to
 *  the web view, so it starts empty: left empty, the stored one is kept. */
export function formFromEntry(m: MachineEntry): MachineForm {
  const base = emptyMachineForm();
  base.label = m.label;
  base.node_id = m.node_id;
  base.rent_order = m.rent_order ?? "";
  if (m.auth.kind === "wallet") {
    base.wallet_id = m.auth.wallet_id;
  } else if (m.auth.kind === "multisig") {
    base.auth = "multisig";
    base.ms_members = m.auth.members.join("\n");
    base.ms_threshold = String(m.auth.threshold);
    base.ms_signers = [...m.auth.signer_ids];
  } else {
    base.auth = "session";
    base.session_id = m.auth.session_id;
  }
  return base;
}

export function toMachineInput(f: MachineForm): MachineInput {
  const session = f.auth === "session";
  return {
    label: f.label.trim() || shortId(f.node_id.trim()),
    node_id: f.node_id.trim(),
    rent_order: f.rent_order.trim(),
    wallet_id: f.auth === "wallet" ? f.wallet_id : null,
    session_id: session ? f.session_id.trim() : null,
    session_id_sign: session ? f.session_id_sign.trim() : null,
    multisig: f.auth === "multisig" ? { members: lines(f.ms_members), threshold: f.ms_threshold.trim(), signer_ids: f.ms_signers } : null,
  };
}

export function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

/** `keepSession`: when editing, the session id whose stored signature may be kept. */
export function validateMachine(f: MachineForm, keepSession: string | null = null): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.node_id.trim()) e.node_id = t("machines.check.nodeId");
  if (f.auth === "wallet") {
    if (!f.wallet_id) e.wallet_id = t("machines.check.wallet");
  } else if (f.auth === "multisig") {
    // the multisig rules are Rust's (machine_add answers with field errors)
  } else {
    if (!f.session_id.trim()) e.session_id = t("machines.check.sessionId");
    const keeps = keepSession !== null && f.session_id.trim() === keepSession;
    if (!f.session_id_sign.trim() && !keeps) e.session_id_sign = t("machines.check.sessionSign");
  }
  return e;
}
