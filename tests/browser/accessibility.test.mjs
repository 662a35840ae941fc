// An automated accessibility audit (axe-core) of every page of the site, in the light theme and
// the dark, in headless Chromium: no serious or critical violation.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { PAGES, selfchecksReady, siteFixture } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const site = siteFixture();

test('zero serious or critical accessibility violations (axe-core) on every page, light and dark', async () => {
  const report = [];
  for (const colorScheme of ['light', 'dark']) {
    // axe is injected as a script, which this site's CSP forbids: this context bypasses it.
    const context = await site.browser.newContext({ bypassCSP: true, colorScheme, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(site.base + path);
      await page.waitForLoadState('networkidle');
      if (path.startsWith('/lessons/')) await selfchecksReady(page);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target.join(' ')}`);
      });
      for (const v of violations) report.push(`${colorScheme} ${path}: ${v}`);
    }
    await context.close();
  }
  assert.deepEqual(report, []);
});
