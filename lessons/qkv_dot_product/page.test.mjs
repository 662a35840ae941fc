// Lesson 01's page in headless Chromium: it loads cleanly, its numbers are the
// native build's, edits change what they should, and bad input shows a message
// while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;

// float32 values from wasm (as doubles) and from native (printed %.9g) must be the same float.
const sameFloats = (actual, expected, what) => {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  actual.forEach((row, i) => row.forEach((v, j) =>
    assert.equal(Math.fround(v), Math.fround(expected[i][j]), `${what}(${i}, ${j}): page ${v}, native ${expected[i][j]}`)));
};
const input = (matrix, i, j) => page.locator(`[data-matrix="${matrix}"] input[data-row="${i}"][data-col="${j}"]`);
const banner = () => page.locator('[data-widget="qkv-playground"] .error-banner');

const L = lessonPage('qkv_dot_product');
before(async () => ({ page, native } = await L.ready));

test('the page renders the lesson text with KaTeX maths and highlighted C++', async () => {
  assert.match(await page.locator('h1').textContent(), /Queries, keys, values/);
  assert.ok(await page.locator('.katex').count() > 5, 'maths is typeset');
  assert.ok(await page.locator('figure.code .hljs-keyword').count() > 0, 'the C++ is highlighted');
  assert.match(await page.locator('figure.code').first().textContent(), /inline matrix scores/);
});

test('Q, K, V and S on the page equal the native build\'s for the fixed example', async () => {
  sameFloats(await readMatrix(page, '[data-matrix="Q"]'), native.Q, 'Q');
  sameFloats(await readMatrix(page, '[data-matrix="K"]'), native.K, 'K');
  sameFloats(await readMatrix(page, '[data-matrix="V"]'), native.V, 'V');
  sameFloats(await readMatrix(page, '[data-heatmap="S"]'), native.S, 'S');
  const labels = await page.locator('[data-heatmap="S"] .col-label').allTextContents();
  assert.deepEqual(labels, native.tokens);
});

test('editing one embedding moves exactly that token\'s score row and column', async () => {
  const before = await readMatrix(page, '[data-heatmap="S"]');
  await input('X', 0, 0).fill('3');
  await page.waitForFunction(() => document.querySelector('[data-heatmap="S"] [data-row="0"][data-col="0"]').dataset.value !== '1');
  const after = await readMatrix(page, '[data-heatmap="S"]');
  for (let i = 0; i < after.length; ++i)
    for (let j = 0; j < after.length; ++j) {
      const touched = i === 0 || j === 0;
      if (!touched) assert.equal(after[i][j], before[i][j], `S(${i}, ${j}) does not involve token 0`);
    }
  assert.notDeepEqual(after[0], before[0], 'the query row of token 0 changed');
  // q_the = (3,0,0,0)·W_q + ... : S(the, the) = q_the · k_the, recomputed here from the page's own Q and K.
  const Q = await readMatrix(page, '[data-matrix="Q"]'), K = await readMatrix(page, '[data-matrix="K"]');
  const dot = Q[0].reduce((s, q, c) => s + q * K[0][c], 0);
  assert.equal(after[0][0], dot);
  await input('X', 0, 0).fill('1');
  sameFloats(await readMatrix(page, '[data-heatmap="S"]'), native.S, 'S restored');
});

test('hovering a score explains it as its dot product, from the library\'s numbers', async () => {
  // The explanation comes from the shared module (assets/explain), asked on the first hover.
  const explained = (pattern) => page.waitForFunction((source) =>
    new RegExp(source).test(document.querySelector('[data-heatmap="S"] .explain')?.textContent ?? ''), pattern.source);
  await page.locator('[data-heatmap="S"] .heat-cell[data-row="1"][data-col="0"]').hover();
  await explained(/S\(cat, the\) = q_cat · k_the = 0×0 \+ 3×2 \+ 1×1 = 7/);
  // keyboard focus does the same, and so does a tap
  await page.locator('[data-heatmap="S"] .heat-cell[data-row="0"][data-col="1"]').focus();
  await explained(/S\(the, cat\) = q_the · k_cat .* = 8/);
  await page.locator('[data-heatmap="S"] .heat-cell[data-row="2"][data-col="2"]').click();
  await explained(/S\(sat, sat\) = q_sat · k_sat/);
  const shown = Number(await page.locator('[data-heatmap="S"] .explain strong').getAttribute('data-value'));
  const cell = Number(await page.locator('[data-heatmap="S"] .heat-cell[data-row="2"][data-col="2"]').getAttribute('data-value'));
  assert.equal(shown, cell, 'the explanation ends on the very number the cell shows');
});

test('the step-through is the library\'s explanation: row i of Q meets column j of Kᵀ, products as bars, the sum in the cell', async () => {
  const w = page.locator('[data-widget="qkv-playground"]'), scene = '[data-scene="qk"]';
  const n = native.S.length, d = native.Q[0].length;
  await w.locator('[data-stepper="qk"] [data-action="reset"]').click();
  for (let N = 1; N <= n * n; ++N) {
    await w.locator('[data-stepper="qk"] [data-action="step"]').click();
    const i = Math.floor((N - 1) / n), j = (N - 1) % n;
    await page.waitForFunction(([i, j]) => document.querySelector(`[data-scene="qk"] [data-key="S-${i}-${j}"]`)?.classList.contains('current'), [i, j]);
    assert.deepEqual(await page.$$eval(`${scene} rect[data-cells="Q"].row`, (rs) => [...new Set(rs.map((r) => r.dataset.i))]), [String(i)], `step ${N}: Q's row`);
    assert.deepEqual(await page.$$eval(`${scene} rect[data-cells="KT"].col`, (rs) => [...new Set(rs.map((r) => r.dataset.j))]), [String(j)], `step ${N}: Kᵀ's column`);
    const bars = await page.$$eval(`${scene} rect[data-bars="product"], ${scene} rect[data-bars="sum"]`, (rs) => rs.map((r) => ({
      v: Number(r.dataset.value), h: Number(r.getAttribute('height')), scale: Number(r.dataset.scale) })));
    assert.equal(bars.length, d + 1, `step ${N}: d products and their sum`);
    bars.slice(0, d).forEach((b, c) => assert.equal(b.v, native.Q[i][c] * native.K[j][c], `step ${N}: q[${c}]·k[${c}]`));
    assert.equal(Math.fround(bars[d].v), Math.fround(native.S[i][j]), `step ${N}: the sum is S(${i}, ${j})`);
    bars.forEach((b, k) => assert.ok(Math.abs(b.h - Math.abs(b.v) * b.scale) <= 1e-3, `step ${N}: bar ${k}'s height`));
    const filled = await page.$$eval(`${scene} rect[data-cells="S"]`, (rs) => rs.map((r) => r.getAttribute('fill') !== 'none'));
    filled.forEach((f, k) => assert.equal(f, k < N, `step ${N}: cell ${k} ${k < N ? 'made' : 'still to make'}`));
  }
});

test('a wrong shape shows attn::shape_error\'s message and the page recovers', async () => {
  await page.getByRole('button', { name: 'Add a column (W_k)' }).click();
  await assert.doesNotReject(banner().waitFor({ state: 'visible' }));
  assert.match(await banner().textContent(), /W_q is \(4, 3\) but W_k is \(4, 4\)/);
  assert.ok(await page.locator('[data-widget="qkv-playground"].stale').count() === 1, 'old outputs are dimmed');
  await page.getByRole('button', { name: 'Remove a column (W_k)' }).click();
  assert.ok(await banner().isHidden());
  sameFloats(await readMatrix(page, '[data-heatmap="S"]'), native.S, 'S after recovery');

  // A token more in X but not in the weights' rows is fine; a wider X is not.
  await page.getByRole('button', { name: 'Add a column (X · embeddings)' }).click();
  assert.match(await banner().textContent(), /project: X is \(4, 5\) but W is \(4, 3\)/);
  await page.getByRole('button', { name: 'Remove a column (X · embeddings)' }).click();
  assert.ok(await banner().isHidden());
});

test('text in a number box is named in a message, and fixing it recovers', async () => {
  await input('W_q', 1, 1).fill('abc');
  assert.match(await banner().textContent(), /W_q\(2, 2\) is "abc", which is not a number/);
  assert.equal(await input('W_q', 1, 1).getAttribute('class'), 'invalid');
  await input('W_q', 1, 1).fill('1');
  assert.ok(await banner().isHidden());
  sameFloats(await readMatrix(page, '[data-heatmap="S"]'), native.S, 'S after fixing');
});

test('a cell is marked red exactly when the module refuses it: hex, inf and nan are not numbers, spaces around one are fine', async () => {
  const cell = input('W_q', 1, 1);
  for (const [text, number] of [['0x10', false], ['inf', false], ['nan', false], ['1e', false], ['.', false], ['1,5', false],
    ['  2 ', true], ['\t-3.5e-1 ', true], ['1.', true], ['.5', true], ['+4E2', true]]) {
    await cell.fill(text);
    const red = (await cell.getAttribute('class')) === 'invalid', refused = await banner().isVisible();
    assert.equal(red, !number, `"${text}" ${red ? 'is' : 'is not'} marked red`);
    assert.equal(refused, !number, `"${text}" ${refused ? 'is' : 'is not'} refused`);
    if (refused) assert.match(await banner().textContent(), new RegExp(`W_q\\(2, 2\\) is "${text.replace(/[.+]/g, '\\$&')}", which is not a number`));
  }
  await cell.fill('1');
  assert.ok(await banner().isHidden());
});

test('the symmetric preset makes S symmetric', async () => {
  await page.getByRole('button', { name: 'W_k = W_q (symmetric)' }).click();
  const S = await readMatrix(page, '[data-heatmap="S"]');
  S.forEach((row, i) => row.forEach((v, j) => assert.equal(v, S[j][i], `S(${i}, ${j}) = S(${j}, ${i})`)));
  await page.getByRole('button', { name: 'The example' }).click();
  sameFloats(await readMatrix(page, '[data-heatmap="S"]'), native.S, 'S after the example preset');
});

endsClean(L);
