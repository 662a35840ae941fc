// Every number a learner can type on any page, in headless Chromium: values past float32, or
// overflowing on the way, are refused with a message naming the cell, and never show as NaN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LESSON_PAGES, newPage, siteFixture, widgetsReady } from './harness.mjs';

const site = siteFixture();

test('every number a learner can type is checked: beyond float32, or overflowing on the way, is named and never NaN', async () => {
  // 1e39, -1e39 and 3.5e38 are past float32 (±3.4e38): refused with a message naming the cell.
  // 1e20 fits, but its products overflow in some pages: refused there, naming the entry, or computed.
  // Either way no NaN appears (lesson 02's naive softmax shows its NaN on purpose), nor an ∞ in a
  // matrix or map, and putting the number back clears the message.
  const page = await newPage(site);
  const nan = () => page.evaluate(() => [...document.querySelectorAll('[data-widget] *')]
    .filter((e) => !e.closest('[data-chart="naive"], [data-stat="naive"], .error-banner, input'))
    .filter((e) => (['DD', 'TD', 'STRONG', 'text'].includes(e.tagName) && /NaN/.test(e.textContent)) || e.dataset.value === 'NaN'
      || (e.closest('[data-matrix], [data-heatmap]') && /^-?Infinity$/.test(e.dataset.value ?? '') && !e.classList.contains('blocked')))
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.dataset.value ?? e.textContent}`));
  let inputs = 0;
  for (const path of LESSON_PAGES) {
    await page.goto(site.base + path);
    await widgetsReady(page);
    await page.evaluate(() => document.querySelectorAll('[data-widget] details').forEach((d) => { d.open = true; }));
    // Every box that takes a number (a text for the course's model, .text-input, takes any text).
    for (const input of await page.locator('[data-widget] input:not([type=range]):not([type=checkbox]):not([type=radio]):not(.text-input)').all()) {
      if (!(await input.isEditable())) continue;
      const [matrix, row, col, label, widget] = await input.evaluate((x) => [x.closest('[data-matrix]')?.dataset.matrix, x.dataset.row, x.dataset.col,
        x.getAttribute('aria-label'), x.closest('[data-widget]').dataset.widget]);
      const cell = matrix ? `${matrix}(${Number(row) + 1}, ${Number(col) + 1})` : label;
      const banner = page.locator(`[data-widget="${widget}"] .error-banner`);
      const old = await input.inputValue();
      for (const v of ['1e39', '-1e39', '3.5e38', '1e20']) {
        await input.fill(v);
        await input.press('Enter');
        if (v !== '1e20') {
          await banner.waitFor();
          const text = await banner.textContent();
          assert.ok(text.includes(cell) || (label && text.toLowerCase().includes(label.split(' ').pop().toLowerCase())), `${path}: ${v} in ${cell}: ${text}`);
        }
        assert.deepEqual(await nan(), [], `${path}: ${v} in ${cell}`);
      }
      await input.fill(old);
      await input.press('Enter');
      assert.ok(await banner.isHidden(), `${path}: ${cell} restored clears the message`);
      ++inputs;
    }
  }
  assert.ok(inputs > 150, `only ${inputs} numeric inputs found`);
  assert.deepEqual(page.problems, []);
});
