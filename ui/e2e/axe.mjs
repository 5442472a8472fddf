// axe-core in the app's window: the WCAG 2.0/2.1 A and AA rules.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./harness.mjs";

const AXE = readFileSync(join(REPO, "ui", "node_modules", "axe-core", "axe.min.js"), "utf8");

/** axe's violations on the page as it is now: "rule: target, target…". */
export async function violations(d) {
  await d.execute(`if (!window.axe) { ${AXE}\n }`);
  const r = await d.executeAsync(
    `const cb = arguments[arguments.length - 1];
     window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
       .then((res) => cb(res.violations.map((v) => v.id + " (" + v.impact + "): " + v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", "))),
             (e) => cb(["axe failed: " + e]));`,
  );
  return r;
}

