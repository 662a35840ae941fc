// Lesson 06's page in headless Chromium: the composed mask's weights equal the
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

test('one query\'s row through the mask: −∞ where blocked, exp(−∞) = 0, and the last step is its row of P', async () => {
  const scene = `${W} [data-scene="mask-row"]`, act = (a) => page.locator(`${W} [data-stepper="mask-row"] [data-action="${a}"]`).click();
  await page.locator(`${W} input[data-slider="query"]`).fill('2');
  const allowed = await page.$$eval(`${W} .mask-cell[data-row="2"]`, (cs) => cs.map((c) => c.getAttribute('aria-pressed') === 'true'));
  assert.ok(allowed.includes(false) && allowed.includes(true), 'the example hides some keys from query 2 and shows others');
  const bars = () => page.$$eval(`${scene} rect[data-bars="row"]`, (rs) => rs.map((r) => ({
    v: Number(r.dataset.value), h: Number(r.getAttribute('height')), scale: Number(r.dataset.scale) })));
  await act('reset');
  for (let N = 0; N <= 4; ++N) {
    if (N) await act('step');
    const b = await bars();
    assert.equal(b.length, allowed.length);
    b.forEach(({ v, h, scale }, j) => {
      assert.ok(Math.abs(h - (Number.isFinite(v) ? Math.abs(v) * scale : 0)) <= 1e-3, `step ${N}: bar ${j}'s height`);
      if (N === 0) assert.ok(Number.isFinite(v), `step 0: every score is a number, seen or not (${j})`);
      if (N === 1 || N === 2) assert.equal(v === -Infinity, !allowed[j], `step ${N}: key ${j} is −∞ exactly when blocked`);
      if (N === 3 && !allowed[j]) assert.equal(v, 0, `step 3: exp(−∞) = 0 for key ${j}`);
      if (N === 4) assert.ok(Math.abs(v - native.both_P[2][j]) <= 1e-6, `step 4: P(2, ${j}) as natively`);
    });
    if (N === 1) assert.equal(await page.locator(`${scene} text[data-key^="row-inf-"]`).count(), allowed.filter((a) => !a).length);
  }
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
  // The last position has nothing after it: the panel says so, not "positions 6..5".
  await page.locator(`${W} input[data-slider="position"]`).fill('5');
  assert.match(await page.locator(`${W} [data-stats]`).filter({ has: page.locator('[data-stat="upto"]') }).textContent(), /position 5 is the last/);
  assert.doesNotMatch(await page.locator(`${W} [data-stats]`).filter({ has: page.locator('[data-stat="upto"]') }).textContent(), /6\.\.5/);
  await page.locator(`${W} input[data-slider="position"]`).fill('1');
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
