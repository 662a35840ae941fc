// Lesson 08's page in headless Chromium: the tile step-through skips causal
// tiles, the memory meter compares n² with one tile, and the four kernels run
// in the page on the native example's input with outputs equal to the native build's.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {endsClean, lessonPage } from '../../tests/browser/harness.mjs';

let page, native;
const stat = async (name) => page.locator(`[data-widget="tiles"] [data-stat="${name}"]`).getAttribute('data-value');

const L = lessonPage('tiled');
before(async () => ({ page, native } = await L.ready));

test('the causal schedule of n = 100 in 16×16 tiles: 49 tiles, 21 skipped, stepping walks them', async () => {
  assert.equal(await page.locator('.tile').count(), 49);
  assert.equal(await page.locator('.tile.skipped').count(), 21);
  assert.equal(Number(await stat('skipped')), 21);
  await page.locator('[data-action="step"]').click();
  await page.locator('[data-action="step"]').click();
  assert.equal(Number(await stat('step')), 2);
  assert.match(await page.locator('[data-stat="current"]').textContent(), /Q rows 0–15 × K rows 16–31.*skipped/);
  await page.locator('[data-action="end"]').click();
  assert.equal(Number(await stat('computed')), 28);
  await page.locator('[data-toggle="causal"]').uncheck();
  assert.equal(await page.locator('.tile.skipped').count(), 0);
});

test('the memory meter: n² floats against one tile', async () => {
  const naive = Number(await page.locator('[data-meter="naive"]').getAttribute('data-value'));
  const tiled = Number(await page.locator('[data-meter="tiled"]').getAttribute('data-value'));
  assert.equal(naive, 4 * 100 * 100);
  await page.locator('[data-widget="tiles"] input[data-slider="n"]').fill('256');
  assert.equal(Number(await page.locator('[data-meter="naive"]').getAttribute('data-value')), 4 * 256 * 256);
  assert.equal(Number(await page.locator('[data-meter="tiled"]').getAttribute('data-value')), tiled, 'tiled memory does not grow with n');
});

test('all four kernels run in the page and agree with each other and with the native build', async () => {
  const r = await page.evaluate(async () => {
    const { default: create } = await import('./lesson.mjs');
    const m = await create();
    return ['naive', 'online', 'tiled', 'simd'].map((v) => m.run(v, 257, true, 1));
  });
  for (const x of r) {
    assert.ok(x.ok, x.error);
    x.O_first_rows.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - native.O_first_rows[i][j]) <= 1e-5, `row ${i} col ${j}`)));
    x.O_last_row[0].forEach((v, j) => assert.ok(Math.abs(v - native.O_last_row[0][j]) <= 1e-5, `last row col ${j}`));
    assert.ok(x.max_diff <= 1e-5);
  }
  assert.equal(r[3].isa, 'WebAssembly SIMD128');
  await page.locator('[data-action="run-all"]').click();
  await page.waitForSelector('[data-widget="versions"][data-state="done"]', { timeout: 60000 });
  for (const v of ['naive', 'online', 'tiled', 'simd']) {
    const d = Number(await page.locator(`tr[data-version="${v}"] td:nth-child(4)`).getAttribute('data-value'));
    assert.ok(d <= 1e-5, `${v} differs from naive by ${d}`);
  }
});

test('a bad version is refused with a message', async () => {
  const r = await page.evaluate(async () => (await (await import('./lesson.mjs')).default()).run('fast', 64, false, 1));
  assert.equal(r.ok, false);
  assert.match(r.error, /no kernel version 'fast'/);
});

endsClean(L);
