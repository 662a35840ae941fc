// Lesson 16's page in headless Chromium: layer norm and the residual stream are the native build's
// numbers (the stream through the trained model, run in WebAssembly); each step of the stream's
// animation draws that stage of the library's trace; the budget's bars are the library's FLOPs;
// bad input is named and the page recovers.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { endsClean, lessonPage } from '../../tests/browser/harness.mjs';

let page, native;
const L = lessonPage('transformer_block');
before(async () => ({ page, native } = await L.ready));

const bars = (scene, key) => page.$$eval(`[data-scene="${scene}"] rect[data-bars="${key}"]`,
  (rs) => rs.map((r) => ({ v: Number(r.dataset.value), h: Number(r.getAttribute('height')), s: Number(r.dataset.scale) })));

test('layer norm: the normalised row is the native build\'s, and its scale does not matter', async () => {
  const xhat = await bars('norm', 'row1');
  assert.equal(xhat.length, native.norm.xhat.length);
  xhat.forEach(({ v }, j) => assert.ok(Math.abs(v - native.norm.xhat[j]) < 1e-6, `x̂[${j}]`));
  const cell = page.locator('[data-matrix="x"] input[data-row="0"][data-col="0"]');
  await cell.fill('20');  // the first entry ten times larger: a different row, another x̂
  const mean = () => page.$eval('[data-stat="mean"]', (d) => Number(d.dataset.value));
  assert.ok(Math.abs((await mean()) - 4.6) < 1e-6);
  await cell.fill('2');
  assert.ok(Math.abs((await mean()) - native.norm.mean) < 1e-9);
  await cell.fill('abc');
  assert.match(await page.locator('[data-widget="layer-norm"] .error-banner').textContent(), /x\(1, 1\) is "abc"/);
  await cell.fill('2');
  assert.equal(await page.locator('[data-widget="layer-norm"] .error-banner').isHidden(), true);
});

test('the residual stream: each step draws that stage of the trace, run in WebAssembly', async () => {
  const W = '[data-widget="stream"]';
  await page.locator(`${W} [data-action="reset"]`).click();
  for (let s = 0; s < native.stream.stages.length; ++s) {
    if (s > 0) await page.locator(`${W} [data-action="step"]`).click();
    const length = await bars('stream', 'length'), added = await bars('stream', 'added');
    assert.equal(length.length, native.stream.tokens.length);
    length.forEach(({ v, h, s: scale }, i) => {
      assert.ok(Math.abs(v - native.stream.length[s][i]) < 1e-3 * Math.max(1, Math.abs(v)), `stage ${s}, token ${i}: |x|`);
      assert.ok(Math.abs(h - v * scale) < 1e-6, 'a bar is as tall as its value at its scale');
    });
    added.forEach(({ v }, i) => assert.ok(Math.abs(v - native.stream.added[s][i]) < 1e-3 * Math.max(1, Math.abs(v)), `stage ${s}, token ${i}: |added|`));
  }
  await page.locator(`${W} [data-input="text"]`).fill('');
  assert.match(await page.locator(`${W} .error-banner`).textContent(), /the text is empty/);
  await page.locator(`${W} [data-input="text"]`).fill('the cat sat on the mat');
  assert.equal(await page.locator(`${W} .error-banner`).isHidden(), true);
});

test('the budget: every model\'s bars are the library\'s FLOPs at n = 1024, and n moves them', async () => {
  const parts = await page.$$eval('[data-scene="budget"] rect[data-part]', (rs) => rs.map((r) => [r.dataset.model, r.dataset.part, Number(r.dataset.value)]));
  assert.equal(parts.length, 4 * native.budget.length);
  for (const [model, part, v] of parts) {
    const b = native.budget.find((m) => m.name === model);
    assert.ok(Math.abs(v - b[part]) <= 1e-9 * b[part], `${model} ${part}`);
  }
  const before = await page.$eval('[data-scene="budget"] rect[data-part="scores"]', (r) => Number(r.getAttribute('width')));
  await page.locator('[data-slider="n"]').fill('16');
  const after = await page.$eval('[data-scene="budget"] rect[data-part="scores"]', (r) => Number(r.getAttribute('width')));
  assert.ok(after > before, 'at 65,536 tokens attention\'s share is larger');
});

endsClean(L);
