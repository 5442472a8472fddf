import { describe, expect, it } from "vitest";
import type { Connection } from "../../lib/ipc";
import { t } from "../../lib/i18n.svelte";
import { connectionDisplay } from "./connection";

const safe: Connection = {
  ssh_command: "ssh -p 20022 dbc@2001:db8::17",
  rdp_address: null,
  vnc_address: "[2001:db8::17]:5901",
  safe: true,
  values: [
    { field: "ssh_ip", raw: "2001:db8::17", shown: "2001:db8::17", problem: null },
    { field: "ssh_port", raw: "20022", shown: "20022", problem: null },
    { field: "vnc_port", raw: "5901", shown: "5901", problem: null },
  ],
};

// As Rust sends it for `ssh_ip = "1.2.3.4\n; curl x|sh"` and a `-o` user name.
const hostile: Connection = {
  ssh_command: null,
  rdp_address: null,
  vnc_address: null,
  safe: false,
  values: [
    { field: "ssh_ip", raw: "1.2.3.4\n; curl x|sh", shown: "1.2.3.4\\n; curl x|sh", problem: { rule: "control", message: "the host contains a control character" } },
    { field: "ssh_port", raw: "22", shown: "22", problem: null },
    { field: "user_name", raw: "-oProxyCommand=sh", shown: "-oProxyCommand=sh", problem: { rule: "leading_dash", message: "starts with -" } },
  ],
};

describe("connectionDisplay", () => {
  it("offers Rust's checked strings when every value passed", () => {
    expect(connectionDisplay(safe)).toEqual({ ssh: safe.ssh_command, rdp: null, vnc: safe.vnc_address, unsafe: null });
  });
  it("offers nothing to copy and lists the values as data when a check failed", () => {
    const d = connectionDisplay(hostile);
    expect([d.ssh, d.rdp, d.vnc]).toEqual([null, null, null]);
    expect(d.unsafe).toEqual([
      { field: "ssh_ip", label: t("vm.connField.ssh_ip"), shown: "1.2.3.4\\n; curl x|sh", problem: t("vm.connRule.control") },
      { field: "ssh_port", label: t("vm.connField.ssh_port"), shown: "22", problem: null },
      { field: "user_name", label: t("vm.connField.user_name"), shown: "-oProxyCommand=sh", problem: t("vm.connRule.leading_dash") },
    ]);
    // shown, never the raw value with its hidden characters
    expect(d.unsafe?.some((r) => r.shown.includes("\n"))).toBe(false);
  });
  it("never offers a command from an unchecked connection, even if one came along", () => {
    const d = connectionDisplay({ ...hostile, ssh_command: "ssh -p 22 x@y", vnc_address: "y:1" });
    expect([d.ssh, d.rdp, d.vnc]).toEqual([null, null, null]);
    expect(d.unsafe).not.toBeNull();
  });
  it("shows nothing before the detail is loaded", () => {
    expect(connectionDisplay(null)).toEqual({ ssh: null, rdp: null, vnc: null, unsafe: null });
  });
});
