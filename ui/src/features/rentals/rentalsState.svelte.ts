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
  setInterval(() => void loadRentals(), EVERY_MS);
  setInterval(() => (rentals.now = Date.now()), 1000);
}

export function addAlert(a: RentAlert): void {
  rentals.alerts = [a, ...rentals.alerts].slice(0, 20);
  void loadRentals();
}

/** The chain's order behind a configured machine. */
export function rentalOf(entry: MachineEntry): RentalView | undefined {
  if (!entry.rent_order) return undefined;
  return rentals.data?.orders.find((o) => o.rent_order === entry.rent_order && o.machine_id === entry.node_id);
}
