// Multi-line text fields (one port forward / firewall rule per line).

/** The non-empty lines, trimmed: what a textarea becomes in a request. */
export function lines(s: string): string[] {
  return s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * For each entry of `lines(s)`, its line number (1-based) in the textarea as the user sees it, so
 * an error on entry `i` of the request can name the right line even around blank lines.
 */
export function lineNumbers(s: string): number[] {
  const out: number[] = [];
  s.split(/\r?\n/).forEach((l, i) => {
    if (l.trim().length > 0) out.push(i + 1);
  });
  return out;
}
