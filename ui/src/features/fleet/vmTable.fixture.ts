// Test and benchmark data for the VM table: fleets shaped like the `fleet` command's reply.
import type { FleetMachine, MachineInfo, TaskSummary } from "../../lib/ipc";

export function task(task_id: string, status = "running", desc = "", create_time = "2024-05-01 10:00:00"): TaskSummary {
  return { task_id, status, desc, create_time };
}

export function machine(id: string, label: string, tasks: TaskSummary[], ip: string | null = "203.0.113.1"): FleetMachine {
  return {
    entry: { id, label, node_id: `node-${id}`, rent_order: null, auth: { kind: "wallet", wallet_id: "w1" }, demo: false },
    info: ip === null ? null : ({ ip } as MachineInfo),
    rent: null,
    limits: null,
    tasks,
    error: null,
    stale: false,
  };
}

const STATUSES = ["running", "closed", "creating", "being shutdown", "running", "closed", "error", "pmsuspend"];
const WORDS = ["training", "inference", "notebook", "render", "llama", "stable-diffusion", "batch", "dev"];

/** `machines` machines with `perMachine` VMs each, deterministic (no randomness). */
export function bigFleet(machines = 50, perMachine = 20): FleetMachine[] {
  const out: FleetMachine[] = [];
  for (let m = 0; m < machines; m++) {
    const tasks: TaskSummary[] = [];
    for (let v = 0; v < perMachine; v++) {
      const n = m * perMachine + v;
      const day = String(1 + (n % 28)).padStart(2, "0");
      const hh = String(n % 24).padStart(2, "0");
      const mm = String((n * 7) % 60).padStart(2, "0");
      tasks.push(
        task(
          `Vm${String(n).padStart(6, "0")}x${(n * 2654435761) % 100000}`,
          STATUSES[n % STATUSES.length],
          `${WORDS[n % WORDS.length]} box ${n}`,
          `2024-${String(1 + (n % 12)).padStart(2, "0")}-${day} ${hh}:${mm}:00`,
        ),
      );
    }
    out.push(machine(`m${m}`, `gpu-node-${String(m).padStart(2, "0")}`, tasks, `10.${m}.0.${1 + (m % 250)}`));
  }
  return out;
}
