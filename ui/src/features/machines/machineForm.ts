import type { MachineEntry, MachineInput } from "../../lib/ipc";

export interface MachineForm {
  label: string;
  node_id: string;
  rent_order: string;
  auth: "wallet" | "session";
  wallet_id: string;
  session_id: string;
  session_id_sign: string;
}

export function emptyMachineForm(walletId = ""): MachineForm {
  return { label: "", node_id: "", rent_order: "", auth: "wallet", wallet_id: walletId, session_id: "", session_id_sign: "" };
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
  } else {
    base.auth = "session";
    base.session_id = m.auth.session_id;
  }
  return base;
}

export function toMachineInput(f: MachineForm): MachineInput {
  const wallet = f.auth === "wallet";
  return {
    label: f.label.trim() || shortId(f.node_id.trim()),
    node_id: f.node_id.trim(),
    rent_order: f.rent_order.trim(),
    wallet_id: wallet ? f.wallet_id : null,
    session_id: wallet ? null : f.session_id.trim(),
    session_id_sign: wallet ? null : f.session_id_sign.trim(),
  };
}

export function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

/** `keepSession`: when editing, the session id whose stored signature may be kept. */
export function validateMachine(f: MachineForm, keepSession: string | null = null): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.node_id.trim()) e.node_id = "paste the machine id";
  if (f.auth === "wallet") {
    if (!f.wallet_id) e.wallet_id = "choose a wallet";
  } else {
    if (!f.session_id.trim()) e.session_id = "paste the session id";
    const keeps = keepSession !== null && f.session_id.trim() === keepSession;
    if (!f.session_id_sign.trim() && !keeps) e.session_id_sign = "paste the session signature";
  }
  return e;
}
