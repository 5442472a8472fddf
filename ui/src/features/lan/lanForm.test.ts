import { describe, expect, it } from "vitest";
import { createFieldErrors, defaultLanForm, parseCidr, suggestCidr, toLanRequest, validateLan, type LanInfo } from "./lanForm";

function lan(network_name: string, ip_cidr: string): LanInfo {
  return {
    network_name, ip_cidr, bridge_name: "", vxlan_name: "", vxlan_vni: "", ip_start: "", ip_end: "",
    dhcp_interface: "", machine_id: "", rent_wallet: "", members: [], lastUseTime: "", native_flags: "",
  };
}

describe("LAN form", () => {
  it("accepts a good name and range", () => {
    expect(validateLan({ name: "teamnet1", cidr: "192.168.77.0/24" })).toEqual({});
    expect(validateLan({ name: " ABCDEF ", cidr: " 10.0.0.0/16 " })).toEqual({});
    expect(validateLan({ name: "a1b2c3d4e5", cidr: "192.168.66.0/24" })).toEqual({});
  });
  it("checks the name: required, 6–10 letters or digits, unique", () => {
    expect(validateLan({ name: "", cidr: "192.168.66.0/24" }).network_name).toMatch(/Enter a name/);
    expect(validateLan({ name: "ab", cidr: "192.168.66.0/24" }).network_name).toMatch(/6 to 10/);
    expect(validateLan({ name: "abcdefghijk", cidr: "192.168.66.0/24" }).network_name).toMatch(/6 to 10/);
    expect(validateLan({ name: "team-net", cidr: "192.168.66.0/24" }).network_name).toMatch(/6 to 10/);
    expect(validateLan({ name: "teamnet ", cidr: "192.168.66.0/24" }).network_name).toBeUndefined();
    expect(validateLan({ name: "téamnet", cidr: "192.168.66.0/24" }).network_name).toMatch(/6 to 10/);
    expect(validateLan({ name: "teamnet1", cidr: "192.168.78.0/24" }, [lan("teamnet1", "192.168.77.0/24")]).network_name).toMatch(/already exists/);
  });
  it("checks the range: required, a.b.c.d/n, not 192.168.122.x", () => {
    expect(validateLan({ name: "teamnet1", cidr: "" }).ip_cidr).toMatch(/Enter an address range/);
    expect(validateLan({ name: "teamnet1", cidr: "192.168.122.0/24" }).ip_cidr).toMatch(/192\.168\.122/);
    for (const bad of ["192.168.66.0", "192.168.66/24", "300.1.1.0/24", "192.168.66.0/33", "a.b.c.d/24", "192.168.66.0/24x"]) {
      expect(validateLan({ name: "teamnet1", cidr: bad }).ip_cidr, bad).toMatch(/IPv4 address/);
    }
  });
  it("parses CIDRs", () => {
    expect(parseCidr("192.168.66.0/24")).toEqual({ octets: [192, 168, 66, 0], prefix: 24 });
    expect(parseCidr("1.2.3.4/32")).toEqual({ octets: [1, 2, 3, 4], prefix: 32 });
    expect(parseCidr("1.2.3.256/24")).toBeNull();
  });
  it("suggests a free range, skipping 192.168.122.x", () => {
    expect(suggestCidr()).toBe("192.168.66.0/24");
    expect(suggestCidr([lan("aaaaaa", "192.168.66.0/24"), lan("bbbbbb", "192.168.67.0/24")])).toBe("192.168.68.0/24");
    const many = Array.from({ length: 56 }, (_, i) => lan(`net${i}xx`, `192.168.${66 + i}.0/24`));
    expect(suggestCidr(many)).toBe("192.168.123.0/24");
    expect(defaultLanForm()).toEqual({ name: "", cidr: "192.168.66.0/24" });
    expect(validateLan({ name: "teamnet1", cidr: suggestCidr(many) })).toEqual({});
  });
  it("trims the request", () => {
    expect(toLanRequest({ name: " teamnet1 ", cidr: " 192.168.77.0/24 " })).toEqual({ name: "teamnet1", ipCidr: "192.168.77.0/24" });
  });
});

describe("server errors on create", () => {
  const base = { code: "rejected", title: "The node refused the request", message: "", hint: null, reply: null, fields: [] };
  it("uses the backend's field list", () => {
    expect(createFieldErrors({ ...base, code: "validation", fields: [{ field: "ip_cidr", rule: "format", message: "bad cidr" }] })).toEqual({ ip_cidr: "bad cidr" });
  });
  it("maps node refusals that name a field", () => {
    const reply = (message: string) => ({ ...base, reply: { status: 200, errcode: -3, message } });
    expect(createFieldErrors(reply("network name already existed"))).toEqual({ network_name: "network name already existed" });
    expect(createFieldErrors(reply("ip cidr already exist"))).toEqual({ ip_cidr: "ip cidr already exist" });
    expect(createFieldErrors(reply("network vni is full"))).toEqual({});
    expect(createFieldErrors(base)).toEqual({});
  });
});
