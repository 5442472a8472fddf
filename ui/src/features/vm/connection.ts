// What the VM dialog shows of a VM's connection. Rust (dbc_api::connect) checks the node's values
// and builds the strings; this only decides what is offered for copying: nothing at all when the
// values failed the checks.
import type { ConnField, Connection } from "../../lib/ipc";
import { t } from "../../lib/i18n.svelte";

/** One of the node's connection values, shown as data. */
export interface ConnRow {
  field: ConnField;
  label: string;
  /** The value with hidden characters written out (from Rust). */
  shown: string;
  /** Why it was refused, in words; null when it passed. */
  problem: string | null;
}

export interface ConnDisplay {
  ssh: string | null;
  rdp: string | null;
  vnc: string | null;
  /** Set when the values failed the checks: show these rows and a warning, offer no copy. */
  unsafe: ConnRow[] | null;
}

export function connectionDisplay(c: Connection | null | undefined): ConnDisplay {
  if (!c) return { ssh: null, rdp: null, vnc: null, unsafe: null };
  if (!c.safe) {
    return {
      ssh: null,
      rdp: null,
      vnc: null,
      unsafe: c.values.map((v) => ({
        field: v.field,
        label: t(`vm.connField.${v.field}`),
        shown: v.shown,
        problem: v.problem ? t(`vm.connRule.${v.problem.rule}`) : null,
      })),
    };
  }
  return { ssh: c.ssh_command, rdp: c.rdp_address, vnc: c.vnc_address, unsafe: null };
}
