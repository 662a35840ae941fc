// Lesson 05's page in headless Chromium: the composed mask's weights equal the
// native build's, clicking a cell flips it, a fully masked row shows 0 with -inf
// and leaks with -1e9, and the proof panel shows no future leakage.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="mask-composer"]';
const stat = async (name) => Number(await page.locator(`${W} [data-stat="${name}"]`).getAttribute('data-value'));

const L = lessonPage('masking');
before(async () => ({ page, native } = await L.ready));

test('causal + padding weights and outputs equal the native build\'s', async () => {
  assertMatrixNear(await readMatrix(page, '[data-heatmap="P"]'), native.both_P, 'P');
  assertMatrixNear(await readMatrix(page, `${W} [data-matrix="O"]`), native.both_O, 'O');
});

test('padding all real tokens leaves the causal mask alone, as natively', async () => {
  await page.locator(`${W} input[data-slider="valid"]`).fill('6');
  assertMatrixNear(await readMatrix(page, '[data-heatmap="P"]'), native.causal_P, 'causal P');
  await page.locator(`${W} input[data-slider="valid"]`).fill('4');
});

test('the proof: under the causal mask the past does not change; without it, it does', async () => {
  assert.equal(await stat('upto'), 0);
  assert.ok((await stat('after')) > 0);
  await page.locator('[data-toggle="causal"]').uncheck();
  assert.ok((await stat('upto')) > 0, 'unmasked, the past sees the future');
  assert.match(await page.locator(`${W} [data-stat="upto"]`).textContent(), /the past saw the future/);
  await page.locator('[data-toggle="causal"]').check();
  assert.equal(await stat('upto'), 0);
});

test('blocking a whole row: zeros with −∞, a uniform leak with −1e9', async () => {
  await page.locator(`${W} .mask-cell[data-row="0"][data-col="0"]`).click();  // "the" could only see itself
  let P = await readMatrix(page, '[data-heatmap="P"]');
  assert.deepEqual(P[0], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual((await readMatrix(page, `${W} [data-matrix="O"]`))[0], [0, 0, 0]);
  assert.match(await page.locator('.mask-note').textContent(), /Fully masked: the/);
  await page.locator('[data-toggle="big"]').check();
  P = await readMatrix(page, '[data-heatmap="P"]');
  P[0].forEach((v) => assert.ok(Math.abs(v - 1 / 6) < 1e-6, `leaked weight ${v}`));
  assert.match(await page.locator('.mask-note').textContent(), /future and padding included/);
  await page.locator('[data-toggle="big"]').uncheck();
  await page.locator(`${W} .mask-cell[data-row="0"][data-col="0"]`).click();
  assertMatrixNear(await readMatrix(page, '[data-heatmap="P"]'), native.both_P, 'P restored');
});

endsClean(L);
