// Adaptive polling: fast while any VM is transitional, slow when stable, paused while hidden,
// and never two calls in flight at once.
import { isTransitional } from "./status";

export const DEFAULT_FAST_MS = 2000;
export const DEFAULT_SLOW_MS = 15000;

export function chooseInterval(
  statuses: readonly string[],
  fastMs: number = DEFAULT_FAST_MS,
  slowMs: number = DEFAULT_SLOW_MS,
  justActed = false,
): number {
  const fast = sane(fastMs, DEFAULT_FAST_MS);
  const slow = Math.max(sane(slowMs, DEFAULT_SLOW_MS), fast);
  return justActed || statuses.some(isTransitional) ? fast : slow;
}

/**
 * Following one long piece of work (a snapshot): 1 s at first, slower the longer it takes (up
 * to 10 s), and `null` once `giveUpMs` have passed — the caller then says it stopped looking.
 */
export function followDelay(elapsedMs: number, giveUpMs = 600_000): number | null {
  if (elapsedMs >= giveUpMs) return null;
  return Math.min(10_000, 1000 + Math.floor(elapsedMs / 30_000) * 1000);
}

function sane(v: number, dflt: number): number {
  return Number.isFinite(v) && v >= 250 ? v : dflt;
}

export interface PollerOptions {
  /** Does one poll; its result decides the next delay. */
  tick: () => Promise<void>;
  /** Delay until the next poll, asked after each tick. */
  nextDelay: () => number;
  isHidden?: () => boolean;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (h: unknown) => void;
}

export class Poller {
  private timer: unknown = null;
  private running = false;
  private stopped = true;
  private again = false;
  constructor(private o: PollerOptions) {}

  get inFlight(): boolean {
    return this.running;
  }

  start(): void {
    this.stopped = false;
    void this.now();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** Poll right away (or right after the one in flight). */
  async now(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.clear();
    if (this.o.isHidden?.()) return; // resumed by visibilityChanged()
    this.running = true;
    try {
      await this.o.tick();
    } catch {
      // the tick reports its own errors
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      return this.now();
    }
    this.schedule();
  }

  visibilityChanged(): void {
    if (this.o.isHidden?.()) this.clear();
    else void this.now();
  }

  private schedule(): void {
    this.clear();
    if (this.o.isHidden?.()) return;
    const set = this.o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.timer = set(() => {
      this.timer = null;
      void this.now();
    }, this.o.nextDelay());
  }

  private clear(): void {
    if (this.timer !== null) {
      (this.o.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer);
      this.timer = null;
    }
  }
}
