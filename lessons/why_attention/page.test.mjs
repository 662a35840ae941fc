// Lesson 4's page in headless Chromium: the worked score, the untrained alignment, the path counts
// and the gradient reach equal the native build's; both translators train in the page and every
// widget redraws from the trained weights; bad input is named and the page recovers.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertMatrixNear, endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const L = lessonPage('why_attention');
before(async () => ({ page, native } = await L.ready));
const stat = async (widget, name) => Number(await page.locator(`[data-widget="${widget}"] [data-stat="${name}"]`).getAttribute('data-value'));
const series = (chart, key) => page.$$eval(`[data-chart="${chart}"] circle[data-series="${key}"]`,
  (dots) => dots.map((d) => [Number(d.dataset.x), Number(d.dataset.y)]));

test('the additive score, its weights and context, and the dot product beside them, equal the native build\'s', async () => {
  for (const k of ['e', 'alpha', 'context', 'dot', 'dot_alpha'])
    assertMatrixNear(await readMatrix(page, `[data-widget="score"] [data-matrix="${k}"]`), [native.worked[k]], k);
  const bars = await page.$$eval('[data-chart="additive-weights"] rect.bar', (r) => r.map((b) => Number(b.dataset.value)));
  assert.deepEqual(bars.map((v) => v.toFixed(6)), native.worked.alpha.map((v) => v.toFixed(6)), 'the bars are α');
});

test('text in a box, or a number beyond float32, is named, and the page recovers', async () => {
  const w = page.locator('[data-widget="score"]');
  const cell = w.locator('[data-matrix="s"] input[data-row="0"][data-col="0"]');
  await cell.fill('abc');
  assert.match(await w.locator('.error-banner').textContent(), /s\(1, 1\) is "abc"/);
  await cell.fill('0.5');
  assert.equal(await w.locator('.error-banner').isHidden(), true);
  assertMatrixNear(await readMatrix(page, '[data-widget="score"] [data-matrix="e"]'), [native.worked.e], 'e again');
  const wbox = w.locator('[data-matrix="W"] input[data-row="0"][data-col="0"]');
  await wbox.fill('1e39');  // beyond float32: refused with the box named
  assert.match(await w.locator('.error-banner').textContent(), /W\(1, 1\)/);
  await wbox.fill('1');
  assertMatrixNear(await readMatrix(page, '[data-widget="score"] [data-matrix="e"]'), [native.worked.e], 'e once more');
});

test('untrained, the alignment map is the native model\'s, and the paths and gradients are counted alike', async () => {
  assertMatrixNear(await readMatrix(page, '[data-heatmap="alpha"]'), native.untrained.alpha, 'α', 1e-5);
  assertMatrixNear(await readMatrix(page, '[data-heatmap="truth"]'), native.untrained.truth, 'the true alignment');
  assert.equal(await page.locator('[data-line="source"]').textContent(), native.untrained.source.join(' '));
  const size = page.locator('[data-widget="paths"] input[data-slider="n"]');
  await size.fill('50');
  for (const k of ['rnn_steps', 'rnn_path', 'attention_path']) assert.equal(await stat('paths', k), native.paths50[k][0], k);
  await size.fill('32');
  const rnn = await series('reach', 'rnn'), att = await series('reach', 'attention');
  assert.equal(rnn.length, 32);
  rnn.forEach(([x, y], k) => assert.ok(x === k + 1 && Math.abs(y - native.reach32.rnn[k]) <= 1e-4 * native.reach32.rnn[k], `reach of word ${x}`));
  att.forEach(([, y], k) => assert.ok(Math.abs(y - native.reach32.attention[k]) <= 1e-4 * native.reach32.attention[k]));
  assert.ok(att[0][1] > 100 * rnn[0][1], 'attention reaches the first word; the recurrence barely does');
});

test('both models train in the page; the chart, the alignment and the positions redraw from them', async () => {
  const w = page.locator('[data-widget="train"]'), state = () => w.locator('.run-status').getAttribute('data-state');
  assert.equal(await series('accuracy', 'rnn').then((s) => s.length), 15, 'lengths 2 to 16, measured untrained');
  await w.locator('button[data-steps="250"]').click();
  await w.locator('[data-action="train"]').click();
  assert.equal(await state(), 'running');
  await page.waitForSelector('[data-widget="train"] .run-status[data-state="trained"]', { timeout: 120_000 });
  assert.equal(await stat('train', 'steps'), 250);
  assert.match(await page.locator('[data-widget="alignment"] [data-stat="aligned"]').textContent(), /after 250 training steps/);
  assert.match(await page.locator('[data-chart="positions"] figcaption').textContent(), /after 250 training steps/);
  const lossDots = await series('loss', 'attention');
  assert.ok(lossDots.length >= 20, 'a loss point every 10 steps');
  assert.ok(lossDots.at(-1)[1] < lossDots[0][1], 'the attention model\'s loss fell');
  await w.locator('[data-action="reset"]').click();
  assert.equal(await state(), 'idle');
  assert.equal(await stat('train', 'steps'), 0);
  assertMatrixNear(await readMatrix(page, '[data-heatmap="alpha"]'), native.untrained.alpha, 'reset: untrained again', 1e-5);
});

endsClean(L);
