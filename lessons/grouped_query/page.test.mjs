// Lesson 11's page in headless Chromium: the K/V head chips regroup the query
// heads, the weights equal the native build's for every grouping, 4 K/V heads
// is the multi-head layer exactly, and bad input is named while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="groups"]';
const stat = async (name) => Number(await page.locator(`${W} [data-stat="${name}"]`).getAttribute('data-value'));

const L = lessonPage('grouped_query');
before(async () => ({ page, native } = await L.ready));

test('each grouping shows the native weights, and the heads read the right K/V head', async () => {
  for (const g of [4, 2, 1]) {
    await page.locator(`${W} button[data-kv="${g}"]`).click();
    assert.equal(await stat('kv_heads'), g);
    assert.equal(await stat('cache'), 2 * g * 4);
    const groups = await page.$$eval(`${W} .head-map`, (m) => m.map((x) => Number(x.dataset.group)));
    assert.deepEqual(groups, [0, 1, 2, 3].map((h) => Math.floor(h / (4 / g))));
    for (let h = 0; h < 4; ++h) assertMatrixNear(await readMatrix(page, `${W} [data-heatmap="P${h}"]`), native[`P${g}`][h], `P${g}[${h}]`, 1e-6);
    assertMatrixNear(await readMatrix(page, `${W} [data-matrix="O"]`), native[`O${g}`], `O${g}`, 1e-5);
  }
});

test('the sharing diagram: each query head is joined to its K/V head, the K/V heads merge, the cache shrinks', async () => {
  const scene = `${W} [data-scene="sharing"]`;
  for (const g of [4, 2, 1]) {
    await page.locator(`${W} button[data-kv="${g}"]`).click();
    const edges = await page.$$eval(`${scene} path[data-from]`, (ps) => ps.map((p) => [Number(p.dataset.from), Number(p.dataset.to)]));
    assert.deepEqual(edges, [0, 1, 2, 3].map((h) => [h, Math.floor(h / (4 / g))]), `g = ${g}: who reads what`);
    const box = (sel) => page.$$eval(`${scene} ${sel}`, (rs) => rs.map((r) => Number(r.getAttribute('x')) + Number(r.getAttribute('width')) / 2));
    const q = await box('rect[data-head]'), kv = await box('rect[data-kv-head]');
    assert.equal(kv.length, g, `g = ${g}: that many K/V heads drawn`);
    kv.forEach((x, k) => {
      const readers = q.filter((_, h) => Math.floor(h / (4 / g)) === k);
      assert.ok(Math.abs(x - (readers[0] + readers[readers.length - 1]) / 2) <= 1e-6, `g = ${g}: K/V head ${k} sits under its readers`);
    });
    const cache = page.locator(`${scene} rect[data-bars="cache"]`);
    assert.equal(Number(await cache.getAttribute('data-value')), 2 * g * 4);
    assert.ok(Math.abs(Number(await cache.getAttribute('width')) - 2 * g * 4 * Number(await cache.getAttribute('data-scale'))) <= 1e-6);
  }
});

test('four K/V heads is the multi-head layer; fewer move the output', async () => {
  await page.locator(`${W} button[data-kv="4"]`).click();
  assert.ok((await stat('diff')) <= 1e-6);
  await page.locator(`${W} button[data-kv="1"]`).click();
  assert.ok((await stat('diff')) > 1e-3);
  assertMatrixNear(await readMatrix(page, `${W} [data-matrix="mha"]`), native.mha, 'mha', 1e-5);
});

test('a bad embedding is named and the page recovers', async () => {
  await page.locator(`${W} details summary`).click();
  const input = page.locator(`${W} [data-matrix="X"] input[data-row="1"][data-col="1"]`);
  await input.fill('');
  assert.match(await page.locator(`${W} .error-banner`).textContent(), /X\(2, 2\)/);
  await input.fill('1');
  assert.ok(await page.locator(`${W} .error-banner`).isHidden());
});

endsClean(L);
