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
};
