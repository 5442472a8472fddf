// Forms ask Rust for their field errors (`formCheck`, the same builders that make the requests)
// instead of keeping a copy of the node's rules. This is the plain part: a debounced checker that
// drops stale replies, and which errors a form shows. `formCheck.svelte.ts` wires it to a form.
import { commands, type FieldError, type Form } from "./ipc";

export type CheckFn = (form: Form) => Promise<FieldError[]>;

/** Wait this long after the last keystroke before asking. */
export const CHECK_DELAY_MS = 150;

/** Calls `formCheck` as the user types; only the reply to the latest values is passed on. */
export class LiveCheck {
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onResult: (fields: FieldError[]) => void,
    private readonly check: CheckFn = (form) => commands.formCheck(form),
    private readonly delayMs: number = CHECK_DELAY_MS,
  ) {}

  /** Check `form` once the user pauses; a later call replaces this one. */
  schedule(form: Form): void {
    this.clearTimer();
    const my = ++this.seq;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run(form, my);
    }, this.delayMs);
  }

  /**
   * Check `form` now (on submit). Resolves to its field errors, or null when the check itself
   * failed (then the command's own validation decides).
   */
  now(form: Form): Promise<FieldError[] | null> {
    this.clearTimer();
    return this.run(form, ++this.seq);
  }

  /** Forget pending checks and any reply still on its way. */
  cancel(): void {
    this.clearTimer();
    this.seq++;
  }

  private async run(form: Form, my: number): Promise<FieldError[] | null> {
    let fields: FieldError[] | null;
    try {
      fields = await this.check(form);
    } catch {
      fields = null;
    }
    if (my === this.seq) this.onResult(fields ?? []);
    return fields;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * The errors to show while typing: only on fields the user has touched, until a submit shows
 * them all (an empty new form should not greet anyone with "this field is required").
 */
export function visibleErrors(
  errors: Readonly<Record<string, string>>,
  touched: Readonly<Record<string, boolean>>,
  all: boolean,
): Record<string, string> {
  if (all) return { ...errors };
  return Object.fromEntries(Object.entries(errors).filter(([k]) => touched[k]));
}
