import { describe, expect, it } from "vitest";
import { LAN_FIELDS, defaultLanForm, lanFormCheck, suggestCidr, toLanRequest, type LanInfo } from "./lanForm";
import { fieldErrors } from "../../lib/errors";

function lan(network_name: string, ip_cidr: string): LanInfo {
  return {
    network_name, ip_cidr, bridge_name: "", vxlan_name: "", vxlan_vni: "", ip_start: "", ip_end: "",
    dhcp_interface: "", machine_id: "", rent_wallet: "", members: [], lastUseTime: "", native_flags: "",
  };
}

describe("LAN form", () => {
  it("suggests a free range, skipping 192.168.122.x", () => {
    expect(suggestCidr()).toBe("192.168.66.0/24");
    expect(suggestCidr([lan("aaaaaa", "192.168.66.0/24"), lan("bbbbbb", "192.168.67.0/24")])).toBe("192.168.68.0/24");
    const many = Array.from({ length: 56 }, (_, i) => lan(`net${i}xx`, `192.168.${66 + i}.0/24`));
    expect(suggestCidr(many)).toBe("192.168.123.0/24");
    expect(defaultLanForm()).toEqual({ name: "", cidr: "192.168.66.0/24" });
  });
  it("trims the request, and checks exactly what it sends", () => {
    const f = { name: " teamnet1 ", cidr: " 192.168.77.0/24 " };
    expect(toLanRequest(f)).toEqual({ name: "teamnet1", ip_cidr: "192.168.77.0/24" });
    expect(lanFormCheck(f)).toEqual({ form: "lan", name: "teamnet1", ip_cidr: "192.168.77.0/24" });
  });
});

describe("server errors on create", () => {
  it("a node refusal Rust files under network_name shows next to the name", () => {
    const e = fieldErrors([{ field: "network_name", rule: "refused", message: "network name already existed" }]);
    expect(e).toEqual({ network_name: "network name already existed" });
    expect(LAN_FIELDS.some((k) => k in e)).toBe(true);
  });
});
