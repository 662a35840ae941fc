// Lesson 09's page in headless Chromium: prefill and decode grow the cache one
// row per token, the decoded outputs equal the native build's and full causal
// attention, the cost plots and the memory calculator answer, and bad input is
// named while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="decoder"]';
const C = '[data-widget="cache-cost"]';
const stat = async (root, name) => page.locator(`${root} [data-stat="${name}"]`).getAttribute('data-value');
const act = (a) => page.locator(`${W} [data-action="${a}"]`).click();

const L = lessonPage('kv_cache');
before(async () => ({ page, native } = await L.ready));

test('prefill caches the prompt; each decode step adds exactly one row', async () => {
  assert.equal(Number(await stat(W, 'cached')), 0);
  await act('prefill');
  assert.equal(Number(await stat(W, 'cached')), 3);
  assert.equal((await readMatrix(page, `${W} [data-matrix="K_cache"]`)).length, 3);
  for (const t of [4, 5, 6]) {
    await act('step');
    assert.equal(Number(await stat(W, 'cached')), t);
    assert.equal((await readMatrix(page, `${W} [data-matrix="V_cache"]`)).length, t);
    assert.equal(await page.locator(`${W} [data-chart="weights"] rect[data-value]`).count(), t);
  }
  await act('step');  // nothing more to decode
  assert.equal(Number(await stat(W, 'cached')), 6);
});

test('the decoded rows equal the native build and full causal attention', async () => {
  const O = await readMatrix(page, `${W} [data-matrix="O"]`);
  assertMatrixNear(O, native.O_decode, 'O');
  assert.ok(Number(await stat(W, 'diff')) <= 1e-6);
  const K = await readMatrix(page, `${W} [data-matrix="K_cache"]`);
  assert.deepEqual(K.map((r) => r.map(Math.fround)), native.K.map((r) => r.map(Math.fround)));
});

test('the cost plots and the memory calculator answer', async () => {
  assert.equal(await page.locator(`${C} [data-chart="cached"] circle`).count(), 16);
  assert.match(await page.locator(`${C} [data-stat="total"]`).textContent(), /^2 GiB/);
  await page.locator(`${C} input[data-slider="kv_heads"]`).fill('8');
  assert.match(await page.locator(`${C} [data-stat="total"]`).textContent(), /^512 MiB/);
  await page.locator(`${C} input[data-toggle="fp32"]`).check();
  assert.match(await page.locator(`${C} [data-stat="total"]`).textContent(), /^1 GiB/);
});

test('a bad value is named and the page recovers', async () => {
  await page.locator(`${W} details summary`).click();
  const input = page.locator(`${W} [data-matrix="V"] input[data-row="0"][data-col="0"]`);
  await input.fill('x');
  assert.match(await page.locator(`${W} .error-banner`).textContent(), /V\(1, 1\) is "x", which is not a number/);
  await input.fill('2');
  assert.ok(await page.locator(`${W} .error-banner`).isHidden());
  assert.ok(Number(await stat(W, 'diff')) <= 1e-6);
});

endsClean(L);
