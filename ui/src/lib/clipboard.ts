// Copy text: async Clipboard API first, then the hidden-textarea fallback (WebKitGTK may refuse
// the async API).
export interface ClipboardEnv {
  clipboard?: { writeText(s: string): Promise<void> } | null;
  doc?: Document | null;
}

export async function copyText(text: string, env?: ClipboardEnv): Promise<boolean> {
  const clip =
    env && "clipboard" in env
      ? env.clipboard
      : typeof navigator !== "undefined"
        ? navigator.clipboard
        : null;
  if (clip && typeof clip.writeText === "function") {
    try {
      await clip.writeText(text);
      return true;
    } catch {
      // fall through
    }
  }
  const doc = env && "doc" in env ? env.doc : typeof document !== "undefined" ? document : null;
  return doc ? fallbackCopy(text, doc) : false;
}

export function fallbackCopy(text: string, doc: Document): boolean {
  const ta = doc.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.top = "-1000px";
  ta.style.opacity = "0";
  doc.body.appendChild(ta);
  const prev = doc.activeElement as HTMLElement | null;
  try {
    ta.select();
    return doc.execCommand("copy");
  } catch {
    return false;
  } finally {
    doc.body.removeChild(ta);
    prev?.focus?.();
  }
}
