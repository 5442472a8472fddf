// The user's rentals from the chain, shared by the Rentals view and the machine cards, and
// the warnings Rust sent (rent-alert events). Read every 30 s; the countdowns tick each second.
import type { AppError, MachineEntry, RentAlert, RentalView, Rentals } from "../../lib/ipc";
import { call, commands, toCallError } from "../../lib/ipc";

export const rentals = $state({
  data: null as Rentals | null,
  error: null as AppError | null,
  loading: false,
  now: Date.now(),
  /** When `data` was read: its `seconds_left` count from here. */
  readAt: Date.now(),
  alerts: [] as RentAlert[],
});

const EVERY_MS = 30_000;
let started = false;

export async function loadRentals(): Promise<void> {
  rentals.loading = true;
  try {
    rentals.data = await call(commands.rentals());
    rentals.readAt = Date.now();
    rentals.error = null;
  } catch (e) {
    rentals.error = toCallError(e).app;
  } finally {
    rentals.loading = false;
    rentals.now = Date.now();
  }
}

/** Start reading (once per window). */
export function startRentals(): void {
  if (started) return;
  started = true;
  void loadRentals();
  // Warnings given before this window listened (e.g. at start-up).
  void call(commands.rentAlerts()).then((list) => list.reverse().forEach(remember), () => {});
  setInterval(() => void loadRentals(), EVERY_MS);
  setInterval(() => (rentals.now = Date.now()), 1000);
}

/** Keep a warning once (the event and the start-up list may both bring it). */
function remember(a: RentAlert): boolean {
  if (rentals.alerts.some((x) => x.seq === a.seq)) return false;
  rentals.alerts = [a, ...rentals.alerts].sort((x, y) => y.seq - x.seq).slice(0, 20);
  return true;
}

/** A warning event from Rust: true when it is new to this window. */
export function addAlert(a: RentAlert): boolean {
  const fresh = remember(a);
  if (fresh) void loadRentals();
  return fresh;
}

/** The chain's order behind a configured machine. */
export function rentalOf(entry: MachineEntry): RentalView | undefined {
  if (!entry.rent_order) return undefined;
  return rentals.data?.orders.find((o) => o.rent_order === entry.rent_order && o.machine_id === entry.node_id);
}
