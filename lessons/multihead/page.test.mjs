// Lesson 05's page in headless Chromium: every head's map equals the native
// build's for h = 1, 2 and 4; h = 3 is refused with a message and the page
// recovers; the cost panel agrees with attn::multihead_cost natively.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const heads = (h) => page.locator(`[data-widget="heads"] [data-heads="${h}"]`).click();
const banner = () => page.locator('[data-widget="heads"] .error-banner');

const L = lessonPage('multihead');
before(async () => ({ page, native } = await L.ready));

test('each head\'s weights and the output equal the native build\'s for h = 2, 4, 1', async () => {
  for (const h of [2, 4, 1]) {
    await heads(h);
    assert.equal(await page.locator('[data-widget="heads"] [data-heatmap]').count(), h, `${h} maps side by side`);
    for (let i = 0; i < h; ++i) assertMatrixNear(await readMatrix(page, `[data-heatmap="P${i}"]`), native[`h${h}`].P[i], `h=${h} head ${i}`);
    assertMatrixNear(await readMatrix(page, '[data-widget="heads"] [data-matrix="O"]'), native[`h${h}`].O, `h=${h} O`);
  }
});

test('three heads do not divide d_model = 4: a message, and the page recovers', async () => {
  await heads(3);
  assert.match(await banner().textContent(), /3 heads must divide the 4 query\/key columns/);
  await heads(2);
  assert.ok(await banner().isHidden());
  assertMatrixNear(await readMatrix(page, '[data-heatmap="P1"]'), native.h2.P[1], 'head 1 after recovery');
});

test('the cost panel matches the native count, and heads do not change parameters or FLOPs', async () => {
  const stat = async (name) => Number(await page.locator(`[data-stat="${name}"]`).getAttribute('data-value'));
  assert.equal(await stat('params'), native.cost.params);
  assert.equal(await stat('flops'), native.cost.flops);
  assert.equal(await stat('score_floats'), native.cost.score_floats);
  await page.locator('[data-widget="cost"] input[data-slider="heads"]').fill('6');  // 64 heads
  assert.equal(await stat('params'), native.cost.params);
  assert.equal(await stat('flops'), native.cost.flops);
  assert.equal(await stat('score_floats'), native.cost.score_floats * 8);
});

endsClean(L);
