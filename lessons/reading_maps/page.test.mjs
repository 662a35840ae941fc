// Lesson 18's page in headless Chromium: the heads' dots and the attribution's bars are the native
// build's numbers; rollout's rows sum to 1; the two copying models train in a worker, and only one
// of them needs its map; the needle is measured at every depth.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { endsClean, lessonPage, readMatrix } from '../../tests/browser/harness.mjs';

let page, native;
const L = lessonPage('reading_maps');
before(async () => ({ page, native } = await L.ready));

const runDone = (widget) => page.waitForFunction((w) => ['done', 'error'].includes(document.querySelector(`[data-widget="${w}"]`).dataset.state),
  widget, { timeout: 60000 });

test('each head is a dot at what removing it costs, the native build\'s number', async () => {
  const dots = await page.$$eval('[data-widget="heads"] circle.head-dot', (cs) => cs.map((c) => [Number(c.dataset.head), Number(c.dataset.x), Number(c.dataset.y)]));
  assert.equal(dots.length, 8);
  for (const [k, x, y] of dots) {
    assert.ok(Math.abs(y - native.heads.copy_cost[k]) < 1e-3, `head ${k}: page ${y}, native ${native.heads.copy_cost[k]}`);
    assert.ok(Math.abs(x - native.heads.copying[k]) < 1e-4, `head ${k}'s induction score`);
  }
  await page.locator('[data-widget="heads"] [data-looks="previous"]').click();
  const prev = await page.$$eval('[data-widget="heads"] circle.head-dot', (cs) => cs.map((c) => Number(c.dataset.x)));
  prev.forEach((x, k) => assert.ok(Math.abs(x - native.heads.heads[k].previous) < 1e-4));
});

test('attribution by attention, rollout and occlusion, measured in a worker, as natively', async () => {
  await page.locator('[data-widget="attribution"] [data-action="attribute"]').click();
  await runDone('attribution');
  assert.equal(await page.locator('[data-widget="attribution"]').getAttribute('data-state'), 'done');
  for (const key of ['attention', 'rollout', 'occlusion']) {
    const bars = await page.$$eval(`[data-widget="attribution"] rect[data-bars="${key}"]`, (rs) => rs.map((r) => Number(r.dataset.value)));
    assert.equal(bars.length, native.attribution.text.length);
    bars.forEach((v, j) => assert.ok(Math.abs(v - native.attribution[key][j]) < 2e-3, `${key}[${j}]: page ${v}, native ${native.attribution[key][j]}`));
  }
});

test('rollout: each layer\'s map and their product, every row summing to 1', async () => {
  const R = await readMatrix(page, '[data-heatmap="rollout-2"]');
  assert.ok(R.length > 10);
  for (const row of R) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4);
});

test('two models learn to copy; only the attention-only one needs its map', async () => {
  await page.locator('[data-widget="two-ways"] [data-action="two"]').click();
  await runDone('two-ways');
  const stat = async (name) => page.locator(`[data-widget="two-ways"] [data-stat="${name}"]`).textContent();
  const pc = (s) => [...s.matchAll(/([\d.]+) %/g)].map((m) => Number(m[1]));
  const [a, aWithout, aOthers] = pc(await stat('a')), [b, bWithout] = pc(await stat('b'));
  assert.ok(aOthers >= 90, `attention only, every other symbol redrawn: ${aOthers}`);
  assert.ok(a >= 90 && b >= 90, `accuracies ${a}, ${b}`);
  assert.ok(aWithout <= 30, `attention only, without attention: ${aWithout}`);
  assert.ok(bWithout >= 90, `one block, without attention: ${bWithout}`);
});

test('the needle is measured at every depth of the window, in a worker, after a cancelled run too', async () => {
  await page.locator('[data-widget="needle"] [data-action="needle"]').click();
  await page.locator('[data-widget="needle"] [data-action="cancel"]').click();  // the worker is gone
  await page.waitForFunction(() => document.querySelector('[data-widget="needle"]').dataset.state === 'cancelled');
  await page.locator('[data-widget="needle"] [data-action="needle"]').click();  // a new one gets the model again
  await runDone('needle');
  assert.equal(await page.locator('[data-widget="needle"]').getAttribute('data-state'), 'done');
  assert.ok(await page.locator('[data-chart="needle"] .point').count() >= 10);
});

endsClean(L);
