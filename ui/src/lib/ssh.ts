// SSH command text. The backend gives `ssh_command`; when it does not, build it from the detail.
export function sshCommand(
  ip: string | null | undefined,
  port: string | null | undefined,
  user: string | null | undefined,
): string | null {
  const host = (ip ?? "").trim();
  const u = (user ?? "").trim();
  const p = (port ?? "").trim();
  if (!host || !u || u === "N/A") return null;
  if (p && p !== "22") {
    if (!/^\d+$/.test(p)) return null;
    return `ssh -p ${p} ${u}@${host}`;
  }
  return `ssh -p 22 ${u}@${host}`;
}

export function hostPort(ip: string | null | undefined, port: string | null | undefined): string | null {
  const h = (ip ?? "").trim();
  const p = (port ?? "").trim();
  return h && p ? `${h}:${p}` : null;
}
