// Lesson 19's page in headless Chromium: the pattern picture counts the tiles the library's plan
// computes (strided key by key: all of them; in blocks: about half), the kernels run in the page,
// linear attention's weights and the recurrent state equal the native build's, the crossover is
// measured in a worker and drawn, the recall bars follow the pairs, and a refused input is named.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const P = '[data-widget="patterns"]', W = '[data-widget="weights"]', S = '[data-widget="state"]';
const C = '[data-widget="crossover"]', R = '[data-widget="recall"]';
const stat = async (root, name) => Number(await page.locator(`${root} [data-stat="${name}"]`).getAttribute('data-value'));
const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} against ${b}`);

const L = lessonPage('sparse_linear');
before(async () => ({ page, native } = await L.ready));

test('strided key by key computes every tile; in blocks most are skipped', async () => {
  // n = 2048, l = 64: 32×32 tiles, the causal triangle's 528 all computed.
  assert.equal(await stat(P, 'computed'), 528);
  assert.equal(await page.locator(`${P} [data-tile="skipped"]`).count(), 32 * 32 - 528);
  await page.locator(`${P} [data-pattern="strided-blocks"]`).click();
  await page.locator(`${P} input[data-slider="l"]`).fill('512');  // 8 blocks of 64
  const computed = await stat(P, 'computed');
  assert.equal(await page.locator(`${P} [data-tile]:not([data-tile="skipped"])`).count(), computed);
  assert.ok(computed * 1.5 < 528, `${computed} tiles of 528`);  // about half skipped at n = 2048, two thirds at 4096
  assert.equal(await page.locator(`${P} [data-tile="partial"]`).count(), 32);  // the diagonal only
});

test('BigBird: the kernels run in the page and v4_sparse equals the reference', async () => {
  await page.locator(`${P} [data-pattern="bigbird"]`).click();
  await page.locator(`${P} input[data-slider="n"]`).fill('10');  // n = 1024
  const computed = await stat(P, 'computed');
  await page.locator(`${P} [data-action="time"]`).click();
  await page.waitForSelector(`${P} [data-stat="ms_sparse"]`);
  assert.match(await page.locator(`${P} [data-stat="ms_sparse"]`).textContent(), new RegExp(`${computed} tiles`));
  assert.ok((await stat(P, 'diff')) < 1e-5);
});

test('the weights and outputs equal the native build\'s', async () => {
  const A = await readMatrix(page, `${W} [data-heatmap="A"]`);
  A.forEach((row, i) => row.forEach((v, j) => near(v, native.A[i][j], 0.006, `A(${i}, ${j})`)));  // the map shows 2 decimals
  for (const row of A) near(row.reduce((a, b) => a + b, 0), 1, 0.05, 'a row of weights');
  assert.ok((await stat(W, 'top_linear')) < (await stat(W, 'top_softmax')), 'linear weights are flatter');
});

test('the recurrent state: its output equals the weights formed whole at every token', async () => {
  for (let t = 0; t < 8; ++t) {
    const o = await readMatrix(page, `${S} [data-matrix="o"]`);
    o[0].forEach((v, e) => near(v, native.O_causal[t][e], 1e-3, `o_${t}[${e}]`));
    assert.equal(await stat(S, 'state'), 4 * 4 + 4);
    assert.ok((await stat(S, 'diff')) < 1e-5);
    if (t < 7) await page.locator(`${S} [data-action="step"]`).click();
  }
});

test('the crossover is measured in a worker and drawn, both series', async () => {
  await page.locator(`${C} [data-action="measure"]`).click();
  await page.waitForSelector(`${C} [data-stat="measured"]`, { timeout: 120000 });
  assert.equal(await page.locator(`${C} circle[data-series="softmax_ms"]`).count(), 7);
  assert.equal(await page.locator(`${C} circle[data-series="linear_ms"]`).count(), 7);
  assert.equal(await stat(C, 'ratio') > 50, true);
});

test('recall: softmax answers, linear attention does not', async () => {
  assert.ok((await stat(R, 'softmax_w')) > 0.5);
  const bars = page.locator(`${R} [data-bar]`);
  assert.equal(await bars.count(), 2);
  const soft = Number(await page.locator(`${R} [data-bar="softmax"]`).getAttribute('data-value'));
  const lin = Number(await page.locator(`${R} [data-bar="linear"]`).getAttribute('data-value'));
  assert.ok(soft >= 0.9 && lin <= soft / 2, `softmax ${soft}, linear ${lin}`);
  await page.locator(`${R} input[data-slider="pairs"]`).fill('9');
  assert.equal(await page.locator(`${R} rect[data-bars="linear"]`).count(), 512);
});

test('a refused input is named and the page keeps working', async () => {
  const r = await page.evaluate(async () => {
    const m = await (await import('/lessons/sparse_linear/lesson.mjs')).default();
    return [m.pattern('spiral', 256, 8), m.pattern('strided', 256, 0), m.state(8), m.recall(64).ok];
  });
  assert.match(r[0].error, /no pattern 'spiral'; the patterns are causal, window/);
  assert.match(r[1].error, /l must be a whole number from 1 to 256/);
  assert.match(r[2].error, /token t must be a whole number from 0 to 7/);
  assert.equal(r[3], true);
});

endsClean(L);
