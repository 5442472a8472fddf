// The "New network" form: a suggested free address range and the request it becomes. Its rules
// (SPEC §5.16) are checked by Rust (`formCheck`); the form's field keys are the wire names
// (`network_name`, `ip_cidr`), also for a node refusal such as "network name already existed".
import type { Form, LanInfo } from "../../lib/ipc";

export type { LanInfo };

export interface LanForm {
  name: string;
  cidr: string;
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

/** The values `lanCreate` and `formCheck` get (trimmed). */
export function toLanRequest(f: LanForm): { name: string; ip_cidr: string } {
  return { name: f.name.trim(), ip_cidr: f.cidr.trim() };
}

export function lanFormCheck(f: LanForm): Form {
  return { form: "lan", ...toLanRequest(f) };
}

/** The fields the form shows; a refusal on any of them is shown there, not as a banner. */
export const LAN_FIELDS: readonly string[] = ["network_name", "ip_cidr"];
