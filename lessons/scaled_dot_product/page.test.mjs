// Lesson 03's page in headless Chromium: the weights and outputs equal the
// native build's, a selected query's output builds up key by key, cross mode
// works, and a wrong shape shows a message while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readEditor, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="attention"]';
const running = async () => (await page.locator('[data-chart="running"]').getAttribute('data-values')).split(',').map(Number);

const L = lessonPage('scaled_dot_product');
before(async () => ({ page, native } = await L.ready));

test('P and O equal the native build\'s for the sentence', async () => {
  assertMatrixNear(await readMatrix(page, '[data-heatmap="P"]'), native.P, 'P');
  assertMatrixNear(await readMatrix(page, '[data-matrix="O"]'), native.O, 'O');
});

test('a query\'s output builds up one weighted value at a time and ends at its row of O', async () => {
  await page.locator('[data-heatmap="P"] .heat-cell[data-row="2"][data-col="0"]').click();  // query "sat"
  assert.match(await page.locator('.build-title').textContent(), /“sat”/);
  const act = (a) => page.locator(`${W} [data-stepper="keys"] [data-action="${a}"]`).click();
  await act('end');
  (await running()).forEach((v, c) => assert.ok(Math.abs(v - native.O[2][c]) <= 1e-6, `o_sat[${c}]`));
  await act('reset');
  assert.deepEqual(await running(), [0, 0, 0, 0]);
  await act('step');
  await act('step');  // the + cat: V = X, so the running sum is P(sat,the)·x_the + P(sat,cat)·x_cat
  const expected = [native.P[2][0], native.P[2][1], 0, 0];
  (await running()).forEach((v, c) => assert.ok(Math.abs(v - expected[c]) <= 1e-6, `after 2 keys [${c}]: ${v} vs ${expected[c]}`));
  await act('end');
});

test('the blend is drawn from the partial sums: after N keys o_i\'s bars are Σ_{j<N} P(i, j)·v_j, each weight as wide as it is', async () => {
  const scene = '[data-scene="blend"]', act = (a) => page.locator(`${W} [data-stepper="keys"] [data-action="${a}"]`).click();
  const partials = await page.evaluate(async ([P, V]) => {
    const m = await (await import('./lesson.mjs')).default();
    return m.build_up(P, V, 2).partials;
  }, [native.P, await readEditor(page, '[data-matrix="X"]')]);  // V = X here
  await act('reset');
  for (let N = 0; N <= 6; ++N) {
    if (N) await act('step');
    const out = await page.$$eval(`${scene} rect[data-bars="out"]`, (rs) => rs.map((r) => [Number(r.dataset.value), Number(r.getAttribute('height')), Number(r.dataset.scale)]));
    out.forEach(([v, h, scale], c) => {
      assert.ok(Math.abs(v - (N ? partials[N - 1][c] : 0)) <= 1e-6, `after ${N} keys, o[${c}] = ${v}`);
      assert.ok(Math.abs(h - Math.abs(v) * scale) <= 1e-3, `after ${N} keys, o[${c}]'s bar`);
    });
    const weights = await page.$$eval(`${scene} rect[data-bars="weight"]`, (rs) => rs.map((r) => [Number(r.dataset.value), Number(r.getAttribute('width')), Number(r.dataset.scale)]));
    weights.forEach(([v, w, scale], j) => {
      assert.ok(Math.abs(v - native.P[2][j]) <= 1e-6, `P(sat, ${j})`);
      assert.ok(Math.abs(w - v * scale) <= 1e-3, `P(sat, ${j})'s bar`);
    });
  }
  (await page.$$eval(`${scene} rect[data-bars="out"]`, (rs) => rs.map((r) => Number(r.dataset.value))))
    .forEach((v, c) => assert.ok(Math.abs(v - native.O[2][c]) <= 1e-6, `at the end, o_sat[${c}] is O's row`));
});

test('sharpness 0 makes every row uniform', async () => {
  await page.locator(`${W} input[data-slider="sharpness"]`).fill('0');
  const P = await readMatrix(page, '[data-heatmap="P"]');
  P.flat().forEach((v) => assert.ok(Math.abs(v - 1 / 6) < 1e-6, `weight ${v}`));
  await page.locator(`${W} input[data-slider="sharpness"]`).fill('1');
  assertMatrixNear(await readMatrix(page, '[data-heatmap="P"]'), native.P, 'P restored');
});

test('cross-attention shows 3 French queries over 6 English keys, as natively', async () => {
  await page.locator('[data-mode="cross"]').click();
  const P = await readMatrix(page, '[data-heatmap="P"]');
  assert.equal(P.length, 3);
  assertMatrixNear(P, native.cross_P, 'cross P');
  assertMatrixNear(await readMatrix(page, '[data-matrix="O"]'), native.cross_O, 'cross O');
  await page.locator('[data-mode="self"]').click();
  assert.equal((await readMatrix(page, '[data-heatmap="P"]')).length, 6);
});

test('a wrong shape shows the library\'s message and the page recovers', async () => {
  await page.locator(`${W} summary`).click();
  await page.getByRole('button', { name: 'Add a column (X · embeddings)' }).click();
  const banner = page.locator(`${W} .error-banner`);
  assert.match(await banner.textContent(), /X is \(6, 5\) but W is \(4, 4\)/);
  await page.getByRole('button', { name: 'Remove a column (X · embeddings)' }).click();
  assert.ok(await banner.isHidden());
  assertMatrixNear(await readMatrix(page, '[data-heatmap="P"]'), native.P, 'P after recovery');
});

endsClean(L);
