// Languages (issue 11): switching in Settings changes the words at once, without a restart, and
// is kept; the fleet and the create form are photographed in each language, and Chinese and
// Korean text is drawn with real glyphs (not the "missing glyph" boxes of a machine without CJK
// fonts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, launch, setValue, textOf } from "./harness.mjs";
import { addDemoMachine, addSeedWallet, card, gotoFleet } from "./flows.mjs";

const catalog = (l) => JSON.parse(readFileSync(join(REPO, "ui", "src", "locales", `${l}.json`), "utf8"));
const SAMPLES = { "zh-CN": "租用虚拟机", ko: "가상 머신 임대" };

let h;
before(async () => {
  h = await launch("languages");
});
after(async () => {
  await h?.stop();
});

/**
 * Whether each character of `text` is drawn with a glyph of its own: drawn on a canvas, a real
 * glyph differs from the box drawn for a private-use character no font has.
 */
function glyphsReal(d, text) {
  return d.execute(
    `const draw = (ch) => {
       const c = document.createElement("canvas"); c.width = 40; c.height = 40;
       const g = c.getContext("2d"); g.font = "32px sans-serif"; g.fillStyle = "#000"; g.fillText(ch, 2, 32);
       return Array.from(g.getImageData(0, 0, 40, 40).data).join(",");
     };
     const tofu = draw("\\uE000");
     return [...arguments[0]].filter((ch) => ch.trim()).map((ch) => draw(ch) !== tofu);`,
    [text],
  );
}

async function switchTo(lang) {
  const { d } = h;
  await d.clickCss('[data-testid="nav-settings"]');
  await setValue(d, '[data-testid="settings-language"]', lang);
  await d.clickCss('[data-testid="settings-prefs-save"]');
  await d.waitFor(async () => (await d.execute("return document.documentElement.lang;")) === lang, { timeout: 10_000, message: `lang=${lang}` });
}

test("switching the language changes the words live; fleet and create form in each language", { timeout: 240_000 }, async () => {
  const { d } = h;
  await addSeedWallet(h);
  const { id } = await addDemoMachine(h, { prefer: "gpu-node-beta" });
  for (const lang of ["zh-CN", "ko", "en"]) {
    const words = catalog(lang);
    await switchTo(lang);
    // The navigation, the page and the Settings title speak the new language without a restart.
    assert.equal((await textOf(d, '[data-testid="nav-fleet"]'))?.trim(), words.nav.fleet);
    assert.equal((await textOf(d, '[data-testid="nav-activity"]'))?.trim(), words.nav.activity);
    await gotoFleet(h, id);
    assert.equal((await textOf(d, `${card(id)} [data-testid="new-vm"]`))?.trim(), words.fleet.newVm);
    await h.shot(`fleet-${lang}`);
    await d.clickCss(`${card(id)} [data-testid="new-vm"]`);
    await d.waitEl('[data-testid="create-form"]', { timeout: 20_000 });
    await h.shot(`create-form-${lang}`);
    await d.execute('document.querySelector(\'[data-testid="create-cancel"]\')?.click();');
    if (SAMPLES[lang]) {
      const real = await glyphsReal(d, SAMPLES[lang] + words.nav.fleet);
      assert.ok(real.every(Boolean), `${lang} glyphs drawn: ${JSON.stringify(real)}`);
    }
  }
  // The choice is kept in the settings file.
  const saved = JSON.parse(readFileSync(join(h.dirs.data, "io.dbcdesk.desktop", "settings.json"), "utf8"));
  assert.equal(saved.settings.prefs.language, "en");
});
