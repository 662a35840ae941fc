// Lesson 02's page in headless Chromium: softmax of one row (stable vs naive),
// the 1/√d_k experiment, numbers equal to the native build's, bad input handled.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {endsClean, lessonPage } from '../../tests/browser/harness.mjs';

let page, native;
const close = (a, b, rel = 1e-6) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
const stat = async (widget, name) => Number(await page.locator(`[data-widget="${widget}"] [data-stat="${name}"]`).getAttribute('data-value'));
const bars = (name) => page.$$eval(`[data-chart="${name}"] rect[data-value]`, (r) => r.map((x) => Number(x.dataset.value)));
const banner = (w) => page.locator(`[data-widget="${w}"] .error-banner`);

const L = lessonPage('softmax_scaling');
before(async () => ({ page, native } = await L.ready));

test('the stable softmax of the example row equals the native build\'s', async () => {
  const p = await bars('stable');
  assert.equal(p.length, native.softmax.length);
  p.forEach((v, j) => assert.ok(close(v, native.softmax[j]), `p[${j}] page ${v} native ${native.softmax[j]}`));
  assert.ok(close(await stat('softmax-row', 'sum'), 1));
});

test('the step-through morphs the row\'s bars through the stable softmax: less m, over T, exp, normalised', async () => {
  const w = page.locator('[data-widget="softmax-row"]'), scene = '[data-scene="softmax"]';
  const z = (await page.$$eval('[data-widget="softmax-row"] [data-matrix="z"] input', (xs) => xs.map((x) => Number(x.value))));
  const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), sum = e.reduce((a, b) => a + b, 0);
  const expected = [z, z.map((v) => v - m), z.map((v) => v - m), e, e.map((v) => v / sum)];  // T = 1
  await w.locator('[data-action="reset"]').click();
  for (let N = 0; N < expected.length; ++N) {
    if (N) await w.locator('[data-action="step"]').click();
    const bars = await page.$$eval(`${scene} rect[data-bars="stage"]`, (rs) => rs.map((r) => ({
      v: Number(r.dataset.value), h: Number(r.getAttribute('height')), y: Number(r.getAttribute('y')), scale: Number(r.dataset.scale), base: Number(r.dataset.base) })));
    assert.equal(bars.length, z.length);
    bars.forEach((b, j) => {
      assert.ok(close(b.v, expected[N][j], 1e-6), `stage ${N}, bar ${j}: ${b.v}, expected ${expected[N][j]}`);
      assert.ok(Math.abs(b.h - Math.abs(b.v) * b.scale) <= 1e-3, `stage ${N}, bar ${j}'s height`);
      assert.ok(Math.abs((b.v >= 0 ? b.y + b.h : b.y) - b.base) <= 1e-3, `stage ${N}, bar ${j} stands on 0`);
    });
    if (N === 4) bars.forEach((b, j) => assert.ok(close(b.v, native.softmax[j]), `the last stage is the native softmax, p[${j}]`));
  }
  assert.match(await page.locator(scene).getAttribute('data-step'), /normalised/);
});

test('temperature 4 gives the native softmax(z, 4) and raises the entropy', async () => {
  const before = await stat('softmax-row', 'entropy');
  await page.locator('[data-widget="softmax-row"] input[data-slider="temperature"]').fill('4');
  const p = await bars('stable');
  p.forEach((v, j) => assert.ok(close(v, native.softmax_T4[j]), `p[${j}] page ${v} native ${native.softmax_T4[j]}`));
  assert.ok((await stat('softmax-row', 'entropy')) > before);
  await page.locator('[data-widget="softmax-row"] input[data-slider="temperature"]').fill('1');
});

test('adding 100 breaks the naive softmax honestly and leaves the stable one alone', async () => {
  await page.getByRole('button', { name: 'Add 100 to every score' }).click();
  const naive = await bars('naive');
  assert.ok(naive.every(Number.isNaN), `naive ${naive}`);
  assert.match(await page.locator('[data-stat="naive"]').textContent(), /NaN/);
  const p = await bars('stable');
  p.forEach((v, j) => assert.ok(close(v, native.softmax[j])));
  await page.getByRole('button', { name: 'Reset the row' }).click();
  assert.ok((await bars('naive')).every(Number.isFinite));
});

test('the row of scores is one row: it offers columns to add and remove, not rows', async () => {
  const z = page.locator('[data-matrix="z"]');
  assert.equal(await z.getByRole('button', { name: /Add a row|Remove a row/ }).count(), 0);
  assert.equal(await z.getByRole('button', { name: /Add a column/ }).count(), 1);
});

test('text in a score is named, and the page recovers', async () => {
  const cell = page.locator('[data-matrix="z"] input[data-row="0"][data-col="2"]');
  await cell.fill('lots');
  assert.match(await banner('softmax-row').textContent(), /z\(1, 3\) is "lots", which is not a number/);
  await cell.fill('0.1');
  assert.ok(await banner('softmax-row').isHidden());
});

test('the experiment\'s defaults equal the native run, and the scaling keeps variance near 1', async () => {
  const e = native.experiment;
  assert.ok(close(await stat('scaling', 'variance'), e.variance, 1e-5));
  assert.ok(close(await stat('scaling', 'entropy'), e.entropy, 1e-5));
  assert.ok(close(await stat('scaling', 'max_weight'), e.max_weight, 1e-5));
  assert.equal(await stat('scaling', 'nonfinite_rows'), 0);
});

test('without the scaling, variance follows d_k and the softmax saturates', async () => {
  const slider = page.locator('[data-widget="scaling"] input[data-slider="d_k"]');
  await page.locator('[data-toggle="scaled"]').uncheck();
  await slider.fill('9');  // d_k = 512
  const v512 = await stat('scaling', 'variance');
  assert.ok(v512 > 400 && v512 < 650, `variance ${v512} for d_k = 512`);
  assert.ok((await stat('scaling', 'max_weight')) > 0.9);
  await page.locator('[data-toggle="scaled"]').check();
  const scaled = await stat('scaling', 'variance');
  assert.ok(scaled > 0.8 && scaled < 1.25, `scaled variance ${scaled}`);
  await slider.fill('6');
});

test('without max subtraction, large scores turn rows into NaN and the page says so', async () => {
  await page.locator('[data-toggle="stable"]').uncheck();
  await page.locator('[data-toggle="scaled"]').uncheck();
  await page.locator('[data-widget="scaling"] input[data-slider="d_k"]').fill('9');
  await page.locator('[data-widget="scaling"] input[data-slider="gain"]').fill('100');
  assert.ok((await stat('scaling', 'nonfinite_rows')) > 0);
  assert.match(await page.locator('[data-stat="nonfinite_rows"]').textContent(), /overflowed/);
  await page.locator('[data-toggle="stable"]').check();
  assert.equal(await stat('scaling', 'nonfinite_rows'), 0);
});

endsClean(L);
