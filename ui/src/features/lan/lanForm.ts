// The "New network" form: quick client-side checks mirroring the node's rules (SPEC §5.16), a
// suggested free address range, and the request it becomes.
import type { AppError, LanInfo } from "../../lib/ipc";
import { fieldErrors } from "../../lib/errors";
import { ls } from "./strings";

export type { LanInfo };

export interface LanForm {
  name: string;
  cidr: string;
}

export const NAME_RE = /^[A-Za-z0-9]{6,10}$/;
const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** "192.168.66.0/24" → parts, or null if it is not `a.b.c.d/n` with octets ≤ 255 and n ≤ 32. */
export function parseCidr(s: string): { octets: number[]; prefix: number } | null {
  const m = CIDR_RE.exec(s.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return null;
  return { octets, prefix };
}

/** Field wire name (`network_name`, `ip_cidr`) → message; empty when the form can be sent. */
export function validateLan(f: LanForm, existing: readonly LanInfo[] = []): Record<string, string> {
  const errs: Record<string, string> = {};
  const name = f.name.trim();
  if (!name) errs.network_name = ls.nameRequired;
  else if (!NAME_RE.test(name)) errs.network_name = ls.nameRule;
  else if (existing.some((l) => l.network_name === name)) errs.network_name = ls.nameTaken;

  const cidr = f.cidr.trim();
  if (!cidr) errs.ip_cidr = ls.cidrRequired;
  else if (cidr.includes("192.168.122.")) errs.ip_cidr = ls.cidrReserved;
  else if (!parseCidr(cidr)) errs.ip_cidr = ls.cidrFormat;
  return errs;
}

/** The first 192.168.N.0/24 (N from 66) that no listed network uses; never 192.168.122.x. */
export function suggestCidr(existing: readonly LanInfo[] = []): string {
  const used = new Set(existing.map((l) => l.ip_cidr.trim().split("/")[0].split(".").slice(0, 3).join(".")));
  for (let n = 66; n <= 254; n++) {
    if (n === 122) continue;
    if (!used.has(`192.168.${n}`)) return `192.168.${n}.0/24`;
  }
  return "10.66.0.0/24";
}

export function defaultLanForm(existing: readonly LanInfo[] = []): LanForm {
  return { name: "", cidr: suggestCidr(existing) };
}

/** Arguments for `lanCreate(machineId, name, ipCidr)`. */
export function toLanRequest(f: LanForm): { name: string; ipCidr: string } {
  return { name: f.name.trim(), ipCidr: f.cidr.trim() };
}

/**
 * Field errors for a failed create: the backend's own field list (`network_name`, `ip_cidr`), or
 * else a node refusal whose text names one of the fields (`network name already existed`,
 * `invalid ip cidr`, …) — shown next to that field instead of as a banner.
 */
export function createFieldErrors(e: AppError): Record<string, string> {
  const f = fieldErrors(e.fields);
  if (f.network_name || f.ip_cidr) return f;
  const msg = (e.reply?.message ?? "").trim();
  if (/network name/i.test(msg)) return { network_name: msg };
  if (/ip cidr/i.test(msg)) return { ip_cidr: msg };
  return {};
}
