// Lesson 14's page in headless Chromium: the gradients equal the native
// build's, clicking a gradient cell checks it by finite differences (float64
// agreeing to many more digits than float32), the causal toggle changes the
// gradients, and bad input is named while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readEditor, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="gradients"]';
const stat = async (name) => page.locator(`${W} [data-stat="${name}"]`).getAttribute('data-value');

const L = lessonPage('backward');
before(async () => ({ page, native } = await L.ready));

test('the gradients equal the native build', async () => {
  for (const name of ['dQ', 'dK', 'dV']) assertMatrixNear(await readMatrix(page, `${W} [data-heatmap="${name}"]`), native[name], name, 1e-5);
});

test('the gradient flows back one matrix per step, each the backward pass\'s own: dO, dV, dP, dS, dQ, dK', async () => {
  const scene = `${W} [data-scene="flow"]`, act = (a) => page.locator(`${W} [data-stepper="flow"] [data-action="${a}"]`).click();
  // The module run again here on what the editors hold (7 digits of the native inputs), as the page ran it.
  const [Q, K, V, dO] = await Promise.all(['Q', 'K', 'V', 'dO'].map((name) => readEditor(page, `${W} [data-matrix="${name}"]`)));
  const mine = await page.evaluate(async ([Q, K, V, dO]) => {
    const m = await (await import('./lesson.mjs')).default();
    return { dO, ...m.grads(Q, K, V, dO, false) };
  }, [Q, K, V, dO]);
  const expected = mine;
  for (const name of ['dQ', 'dK', 'dV']) assertMatrixNear(mine[name], native[name], name, 1e-5);
  const order = ['dO', 'dV', 'dP', 'dS', 'dQ', 'dK'];
  await act('reset');
  for (let N = 0; N < order.length; ++N) {
    if (N) await act('step');
    for (const [k, name] of order.entries()) {
      const cells = await page.$$eval(`${scene} rect[data-cells="${name}"]`, (rs) => rs.map((r) => [Number(r.dataset.i), Number(r.dataset.j), Number(r.dataset.value)]));
      if (k > N) { assert.equal(cells.length, 0, `step ${N}: ${name} not reached yet`); continue; }
      assert.equal(cells.length, expected[name].length * expected[name][0].length, `step ${N}: ${name} drawn whole`);
      for (const [i, j, v] of cells) assert.equal(v, expected[name][i][j], `step ${N}: ${name}(${i}, ${j})`);
    }
    assert.equal(await page.locator(`${scene} path[data-back]`).count(), N, `step ${N}: ${N} edges carry the gradient back`);
  }
  // dS sums to 0 along each row (the softmax's Jacobian kills constant shifts): a check on the trace itself.
  mine.dS.forEach((row, i) => assert.ok(Math.abs(row.reduce((a, b) => a + b, 0)) <= 1e-12, `row ${i} of dS sums to 0`));
});

test('clicking a gradient checks it: float64 agrees to more digits than float32', async () => {
  await page.locator(`${W} [data-heatmap="dK"] .heat-cell[data-row="2"][data-col="1"]`).click();
  assert.equal(await stat('element'), 'dK(2, 1)');
  assert.ok(Math.abs(Number(await stat('analytic')) - native.dK[2][1]) <= 1e-5);
  const b32 = Number(await stat('best32')), b64 = Number(await stat('best64'));
  assert.ok(b64 >= 9, `float64 agrees to ${b64} digits`);
  assert.ok(b32 >= 2 && b32 < b64, `float32 agrees to ${b32} digits`);
  assert.equal(await page.locator(`${W} [data-chart="digits64"] circle`).count(), 9);
});

test('the causal toggle changes the gradients', async () => {
  const before = await readMatrix(page, `${W} [data-heatmap="dQ"]`);
  await page.locator(`${W} input[data-toggle="causal"]`).check();
  const after = await readMatrix(page, `${W} [data-heatmap="dQ"]`);
  after[0].forEach((v) => assert.equal(v, 0));  // query 0 sees only key 0: its weight cannot move
  assert.notDeepEqual(after, before);
  await page.locator(`${W} input[data-toggle="causal"]`).uncheck();
});

test('a bad input is named and the page recovers', async () => {
  const input = page.locator(`${W} [data-matrix="Q"] input[data-row="0"][data-col="0"]`);
  await input.fill('1e999');
  assert.match(await page.locator(`${W} .error-banner`).textContent(), /Q\(1, 1\)/);
  await input.fill('0.5');
  assert.ok(await page.locator(`${W} .error-banner`).isHidden());
});

endsClean(L);
