// Lesson 12's page in headless Chromium: the band's weights equal the native
// build's, widening the window changes the pairs, the tile grid agrees with the
// kernel's own tile count, the kernels run in the page, and a refused input is
// named while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const B = '[data-widget="band"]';
const T = '[data-widget="window-tiles"]';
const stat = async (root, name) => Number(await page.locator(`${root} [data-stat="${name}"]`).getAttribute('data-value'));

const L = lessonPage('sliding_window');
before(async () => ({ page, native } = await L.ready));

test('the band equals the native weights, and zero outside the window', async () => {
  const P = await readMatrix(page, `${B} [data-heatmap="P"]`);
  P.forEach((row, i) => row.forEach((v, j) => {
    assert.ok(Math.abs(v - native.P[i][j]) <= 1e-6, `P(${i}, ${j})`);
    if (j > i || i - j >= 4) assert.equal(v, 0, `outside the window (${i}, ${j})`);
  }));
  assert.equal(await stat(B, 'pairs'), 16 * 4 - 6);
});

test('the sliders change the pairs and the receptive field', async () => {
  await page.locator(`${B} input[data-slider="w"]`).fill('16');
  assert.equal(await stat(B, 'pairs'), (16 * 17) / 2);
  await page.locator(`${B} input[data-toggle="causal"]`).uncheck();
  assert.equal(await stat(B, 'pairs'), 256);
  await page.locator(`${B} input[data-slider="w"]`).fill('3');
  await page.locator(`${B} input[data-slider="layers"]`).fill('5');
  assert.equal(await stat(B, 'field'), 5 * 2 + 1);
});

test('the tile grid matches the kernel, and both kernels run in the page', async () => {
  const computed = await stat(T, 'computed');
  assert.equal(await page.locator(`${T} .tile:not(.skipped)`).count(), computed);
  assert.equal(computed, 64 * 9 - (8 + 7 + 6 + 5 + 4 + 3 + 2 + 1));  // w = 512: the diagonal and 8 behind
  await page.locator(`${T} [data-action="time"]`).click();
  await page.waitForSelector(`${T} [data-stat="ms_window"]`);
  assert.match(await page.locator(`${T} [data-stat="ms_window"]`).textContent(), new RegExp(`${computed} tiles`));
  await page.locator(`${T} input[data-slider="w"]`).fill('4096');
  assert.equal(await stat(T, 'computed'), (64 * 65) / 2);
});

test('a refused input is named and the page keeps working', async () => {
  const r = await page.evaluate(async () => {
    const m = await (await import('/lessons/sliding_window/lesson.mjs')).default();
    return [m.band(0, 3, true), m.tiles(4096, 5, true, 8), m.band(8, 3, true).ok];
  });
  assert.match(r[0].error, /n must be a whole number from 1 to 64/);
  assert.match(r[1].error, /at most 64 tiles/);
  assert.equal(r[2], true);
});

endsClean(L);
