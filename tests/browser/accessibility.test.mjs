// An automated accessibility audit (axe-core) of every page of the site, in the light theme and
// the dark, in headless Chromium: no serious or critical violation.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { PAGES, networkQuiet, newPage, selfchecksReady, siteFixture, widgetsReady } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const site = siteFixture();

test('zero serious or critical accessibility violations (axe-core) on every page, light and dark', async () => {
  const report = [];
  let audited = 0;
  for (const colorScheme of ['light', 'dark']) {
    // axe is injected as a script, which this site's CSP forbids: this context bypasses it.
    const page = await newPage(site, { width: 1280, height: 900 }, { bypassCSP: true, colorScheme });
    // The dark theme changes colours and nothing else (style.css's :root[data-theme="dark"] and the
    // maps' palettes), so the dark pass runs the rules that read colours; the light pass runs all.
    const rules = colorScheme === 'dark' ? { runOnly: ['color-contrast', 'link-in-text-block'] } : {};
    for (const path of PAGES) {
      await page.goto(site.base + path);
      await widgetsReady(page);  // every widget drawn, the self-checks started
      if (path.startsWith('/lessons/')) await selfchecksReady(page);  // and a shared link's state restored
      await networkQuiet(page);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), colorScheme, path);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async (rules) => {
        const r = await window.axe.run(document, { resultTypes: ['violations'], ...rules });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target.join(' ')}`);
      }, rules);
      for (const v of violations) report.push(`${colorScheme} ${path}: ${v}`);
      ++audited;
    }
    await page.context().close();
  }
  assert.equal(audited, 2 * PAGES.length);
  assert.deepEqual(report, []);
});
