// A form's field errors while it is edited: Rust's `formCheck` as the user types (debounced),
// again on submit (which is refused while any field has an error), and the field errors of a
// failed command, all shown next to the form's own fields. Call during component setup.
import type { AppError, FieldError, Form } from "./ipc";
import { fieldErrors, type FieldMap } from "./errors";
import { LiveCheck, visibleErrors, type CheckFn } from "./formCheck";

export interface LiveFormOptions {
  /** The values as the request would carry them; null skips checking (e.g. nothing changed). */
  values: () => Form | null;
  /** Wire names → this form's field keys (may read the form, e.g. a textarea's text). */
  map?: () => FieldMap;
  /** Checks that are the UI's own, not the node's (e.g. "the two passwords match"). */
  local?: () => Record<string, string>;
  check?: CheckFn;
}

export interface LiveForm {
  /** Field key → message, for `FieldError` components. */
  readonly errors: Record<string, string>;
  /** `oninput` / `onchange` of the form: the field (its `name`) now shows its errors. */
  input(e: Event): void;
  /** Before sending: check now; true when the form may be sent (every error is shown). */
  submit(): Promise<boolean>;
  /** A command failed: show its field errors next to the fields. True when there were any. */
  failed(e: AppError): boolean;
  /** Back to a fresh form (after a successful send). */
  reset(): void;
}

export function liveForm(o: LiveFormOptions): LiveForm {
  let fields = $state<FieldError[]>([]);
  let touched = $state<Record<string, boolean>>({});
  let all = $state(false);
  let server = $state<Record<string, string>>({});
  const map = () => o.map?.() ?? {};
  const checker = new LiveCheck((r) => (fields = r), o.check);

  $effect(() => {
    const v = o.values();
    if (v) checker.schedule(v);
    else {
      checker.cancel();
      fields = [];
    }
  });
  $effect(() => () => checker.cancel());

  return {
    get errors() {
      const own = { ...(o.local?.() ?? {}), ...fieldErrors(fields, map()) };
      return { ...visibleErrors(own, touched, all), ...server };
    },
    input(e: Event) {
      const name = (e.target as { name?: unknown } | null)?.name;
      if (typeof name === "string" && name) touched[name] = true;
      server = {};
    },
    async submit() {
      all = true;
      server = {};
      const local = o.local?.() ?? {};
      const v = o.values();
      const r = v ? await checker.now(v) : [];
      // Show what this submit was judged on, even if an edit meanwhile made the reply stale.
      if (r !== null) fields = r;
      return Object.keys(local).length === 0 && (r === null || r.length === 0);
    },
    failed(e: AppError) {
      server = fieldErrors(e.fields, map());
      return Object.keys(server).length > 0;
    },
    reset() {
      touched = {};
      all = false;
      server = {};
    },
  };
}
