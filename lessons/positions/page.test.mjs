// Lesson 13's page in headless Chromium: each encoding's position-only scores
// equal the native build's, RoPE's are constant along diagonals, ALiBi's slope
// slider works, the sinusoidal table matches, and a refused input is named.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {assertMatrixNear, endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="positions"]';

const L = lessonPage('positions');
before(async () => ({ page, native } = await L.ready));

test('every encoding shows the native scores', async () => {
  for (const how of ['none', 'sinusoidal', 'rope', 'alibi']) {
    await page.locator(`${W} button[data-encoding="${how}"]`).click();
    assertMatrixNear(await readMatrix(page, `${W} [data-heatmap="S"]`), native[how], how, 1e-4);
  }
});

test('RoPE is constant along diagonals; no positions is flat', async () => {
  await page.locator(`${W} button[data-encoding="rope"]`).click();
  const S = await readMatrix(page, `${W} [data-heatmap="S"]`);
  for (let i = 1; i < 12; ++i) for (let j = 1; j < 12; ++j) assert.ok(Math.abs(S[i][j] - S[i - 1][j - 1]) <= 1e-4);
  await page.locator(`${W} button[data-encoding="none"]`).click();
  const P = await readMatrix(page, `${W} [data-heatmap="P"]`);
  P.flat().forEach((v) => assert.ok(Math.abs(v - 1 / 12) <= 1e-6));
});

test('the ALiBi slope changes how fast the weight falls', async () => {
  await page.locator(`${W} button[data-encoding="alibi"]`).click();
  const y = async () => Number(await page.locator(`${W} [data-chart="profile"] circle[data-x="4"]`).getAttribute('data-y'));
  await page.locator(`${W} input[data-slider="slope"]`).fill('0.5');
  assert.ok(Math.abs((await y()) - Math.exp(-2)) <= 1e-5);
  await page.locator(`${W} input[data-slider="slope"]`).fill('0.25');
  assert.ok(Math.abs((await y()) - Math.exp(-1)) <= 1e-5);
});

test('the sinusoidal table matches, and a refused input is named', async () => {
  assertMatrixNear(await readMatrix(page, '[data-widget="pe-table"] [data-heatmap="PE"]'), native.PE, 'PE', 1e-6);
  const r = await page.evaluate(async () => {
    const m = await (await import('/lessons/positions/lesson.mjs')).default();
    return [m.scores('learned', 4, 0.5), m.scores('alibi', 4, -1), m.scores('rope', 4, 0.5).ok];
  });
  assert.match(r[0].error, /unknown position encoding "learned"/);
  assert.match(r[1].error, /slope must be from 0 to 8/);
  assert.equal(r[2], true);
});

endsClean(L);
