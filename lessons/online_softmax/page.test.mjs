// Lesson 08's page in headless Chromium: stepping shows the native trace's m,
// l and rescale at every element, the end agrees with the three-pass softmax,
// splits merge exactly, and bad input is named while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {endsClean, lessonPage } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="online-debugger"]';
const stat = async (name) => Number(await page.locator(`${W} [data-stat="${name}"]`).getAttribute('data-value'));
const act = (a) => page.locator(`${W} [data-action="${a}"]`).click();
const cell = (j, col) => page.locator(`${W} tr[data-step="${j}"] td:nth-child(${col})`);

const L = lessonPage('online_softmax');
before(async () => ({ page, native } = await L.ready));

test('each step shows the native m, l and rescale', async () => {
  assert.equal(await stat('read'), 0);
  for (let j = 0; j < native.steps.length; ++j) {
    await act('step');
    assert.equal(await stat('read'), j + 1);
    const s = native.steps[j];
    assert.equal(Math.fround(Number(await cell(j, 3).getAttribute('data-value'))), Math.fround(s.m), `m at ${j}`);
    assert.ok(Math.abs(Number(await cell(j, 4).getAttribute('data-value')) - s.l) <= 1e-6 * s.l, `l at ${j}`);
    assert.ok(Math.abs(Number(await cell(j, 5).getAttribute('data-value')) - s.rescale) <= 1e-6, `rescale at ${j}`);
  }
  assert.match(await page.locator(`${W} tr[data-step="5"]`).getAttribute('class'), /grew/);
  await act('back');
  assert.equal(await stat('read'), native.steps.length - 1);
});

test('the picture is the trace: step N draws exp(z_j − m) for each score read, ℓ, m, o and o / ℓ', async () => {
  await act('reset');
  const scene = `${W} [data-scene="online"]`;
  const drawn = () => page.$$eval(`${scene} rect[data-bars="term"]`, (rs) => rs.map((r) => ({
    v: Number(r.dataset.value), h: Number(r.getAttribute('height')), y: Number(r.getAttribute('y')),
    scale: Number(r.dataset.scale), base: Number(r.dataset.base), cls: r.getAttribute('class') })));
  const value = async (key) => Number(await page.locator(`${scene} [data-key="${key}"]`).getAttribute('data-value'));
  for (let N = 1; N <= native.steps.length; ++N) {
    await act('step');
    const s = native.steps[N - 1], bars = await drawn();
    assert.equal(bars.length, N, `step ${N}: one bar per score read`);
    bars.forEach((b, j) => {
      assert.ok(Math.abs(b.v - s.terms[j]) <= 1e-6, `step ${N}: term ${j} is ${b.v}, the trace says ${s.terms[j]}`);
      assert.ok(Math.abs(b.h - s.terms[j] * b.scale) <= 1e-3 && Math.abs(b.y + b.h - b.base) <= 1e-3, `step ${N}: bar ${j}'s height`);
    });
    // When the maximum grows (9 at j = 5) every older bar is drawn shrinking, by the trace's rescale.
    bars.slice(0, -1).forEach((b) => assert.equal(/shrunk/.test(b.cls), s.rescale < 1, `step ${N}: ${b.cls}`));
    assert.ok(Math.abs((await value('l')) - s.l) <= 1e-6 * s.l, `step ${N}: ℓ`);
    assert.equal(Math.fround(await value('m')), Math.fround(s.m), `step ${N}: m`);
    assert.ok(Math.abs((await value('o')) - s.o) <= 1e-5 * Math.max(1, Math.abs(s.o)), `step ${N}: o`);
    const marker = page.locator(`${scene} [data-key="out"]`);
    assert.ok(Math.abs(Number(await marker.getAttribute('data-value')) - s.out) <= 1e-6, `step ${N}: o / ℓ`);
    const [x, x0, step] = await Promise.all(['data-x', 'data-x0', 'data-step'].map(async (a) => Number(await marker.getAttribute(a))));
    assert.ok(Math.abs(x - (x0 + s.out * step)) <= 1e-3, `step ${N}: the marker sits at o / ℓ on the values' axis`);
  }
  assert.equal(native.steps[5].rescale < 1, true, 'the example grows its maximum at j = 5');
});

test('at the end the online softmax equals the native one and the three-pass one', async () => {
  await act('end');
  const p = await page.$$eval('[data-chart="p"] rect[data-value]', (r) => r.map((x) => Number(x.dataset.value)));
  p.forEach((v, j) => assert.ok(Math.abs(v - native.p[j]) <= 1e-6, `p[${j}]`));
  assert.ok((await stat('diff')) <= 1e-7);
});

test('any split merges back to the one-pass l', async () => {
  const full = native.steps[native.steps.length - 1].l;
  for (const cut of ['0', '3', '8']) {
    await page.locator(`${W} input[data-slider="cut"]`).fill(cut);
    assert.ok(Math.abs((await stat('merged_l')) - full) <= 1e-5 * full, `cut ${cut}`);
  }
});

test('the row of scores is one row: it offers columns to add and remove, not rows', async () => {
  const z = page.locator('[data-matrix="z"]');
  assert.equal(await z.getByRole('button', { name: /Add a row|Remove a row/ }).count(), 0);
  assert.equal(await z.getByRole('button', { name: /Add a column/ }).count(), 1);
});

test('huge scores stay finite; text is named and the page recovers', async () => {
  const input = page.locator(`${W} [data-matrix="z"] input[data-col="1"]`);
  await input.fill('10000');
  await act('end');
  assert.equal(await stat('m'), 10000);
  assert.ok(Number.isFinite(await stat('l')));
  await input.fill('ten');
  assert.match(await page.locator(`${W} .error-banner`).textContent(), /z\(1, 2\) is "ten", which is not a number/);
  await input.fill('1');
  assert.ok(await page.locator(`${W} .error-banner`).isHidden());
});

endsClean(L);
