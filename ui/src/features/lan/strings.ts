// UI strings of the private networks (LAN) dialog. English only for now, like lib/i18n.ts.
export const ls = {
  menuItem: "Private networks",
  title: (machine: string) => `Private networks on ${machine}`,
  intro:
    "A private network links VMs on machines in the same machine room. Choose it when you create a VM; the network must be empty before you delete it.",
  listTitle: "Networks",
  empty: "No private networks on this machine yet.",
  colName: "Name",
  colCidr: "Address range",
  colMembers: "VMs",
  colOwner: "Owner",
  delete: "Delete",
  deleteTitle: (name: string) => `Delete the network ${name}?`,
  deleteConfirm: (name: string) =>
    `Delete the private network “${name}”? VMs can no longer join it. A network that still has VMs cannot be deleted — delete those VMs first.`,
  deleted: (name: string) => `Network “${name}” deleted`,
  createTitle: "New network",
  name: "Name (6–10 letters or digits)",
  cidr: "Address range (CIDR, e.g. 192.168.66.0/24)",
  create: "Create network",
  creating: "Creating…",
  created: (name: string) => `Network “${name}” created`,
  refresh: "Refresh",
  // client-side checks (mirror the node's rules)
  nameRequired: "Enter a name for the network.",
  nameRule: "Use 6 to 10 letters or digits (no spaces or symbols).",
  nameTaken: "A network with this name already exists on this machine.",
  cidrRequired: "Enter an address range, e.g. 192.168.66.0/24.",
  cidrFormat: "Write it as an IPv4 address and prefix length, e.g. 192.168.66.0/24.",
  cidrReserved: "192.168.122.x is used by the machine itself; pick another range, e.g. 192.168.66.0/24.",
};
