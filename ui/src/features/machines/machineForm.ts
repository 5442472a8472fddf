import type { MachineInput } from "../../lib/ipc";

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

export function validateMachine(f: MachineForm): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.node_id.trim()) e.node_id = "paste the machine id";
  if (f.auth === "wallet") {
    if (!f.wallet_id) e.wallet_id = "choose a wallet";
  } else {
    if (!f.session_id.trim()) e.session_id = "paste the session id";
    if (!f.session_id_sign.trim()) e.session_id_sign = "paste the session signature";
  }
  return e;
}
