// Lesson 10's page in headless Chromium: prefill and decode grow the cache one
// row per token, the decoded outputs equal the native build's and full causal
// attention, the cost plots and the memory calculator answer, and bad input is
// named while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readEditor, readMatrix } from '../../tests/browser/harness.mjs';

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

test('the cache is drawn filling: after step t, t slots hold the cached K and V, and q_t reaches each with its weight', async () => {
  const scene = `${W} [data-scene="cache"]`;
  await act('reset');
  assert.equal(await page.locator(`${scene} rect[data-cells="K"]:not(.pending)`).count(), 0);
  for (const t of [3, 4, 5, 6]) {
    await act(t === 3 ? 'prefill' : 'step');
    const r = await page.evaluate(async ([t, V]) => {
      const m = await (await import('./lesson.mjs')).default();
      const ex = m.example();
      return m.decode(ex.Q, ex.K, V, t, 3);
    }, [t, await readEditor(page, `${W} [data-matrix="V"]`)]);
    const filled = async (name) => page.$$eval(`${scene} rect[data-cells="${name}"]:not(.pending)`, (rs) => rs.map((x) => [Number(x.dataset.i), Number(x.dataset.j), Number(x.dataset.value)]));
    for (const [name, M] of [['K', r.K_cache], ['V', r.V_cache]]) {
      const cells = await filled(name);
      assert.equal(cells.length, t * M[0].length, `after ${t} tokens, ${t} rows of ${name} are filled`);
      for (const [i, j, v] of cells) assert.equal(v, M[i][j], `${name} cache (${i}, ${j})`);
    }
    const weights = await page.$$eval(`${scene} path[data-flow="weight"]`, (ps) => ps.map((x) => [Number(x.dataset.value), Number(x.getAttribute('stroke-width'))]));
    assert.equal(weights.length, t, `q_t reaches all ${t} cached keys`);
    weights.forEach(([v, width], i) => {
      assert.ok(Math.abs(v - r.weights[i]) <= 1e-7, `weight ${i}`);
      assert.ok(Math.abs(width - (1 + 10 * v)) <= 1e-6, `weight ${i}'s width`);
    });
    const o = await page.$$eval(`${scene} rect[data-cells="o"]`, (rs) => rs.map((x) => Number(x.dataset.value)));
    o.forEach((v, k) => assert.equal(v, r.O[t - 1][k], `o_t[${k}]`));
  }
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
