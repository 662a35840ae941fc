// Lesson 07's page in headless Chromium: the model agrees with the native
// build, Measure times the wasm kernel in a Web Worker and fits c·n², the memory plot is 4·n²,
// a size the page cannot hold is refused with the figure, and the roofline places
// each step by its intensity under the published roofs and this tab's measured one.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {endsClean, lessonPage } from '../../tests/browser/harness.mjs';

let page, native;
const points = (chart) => page.$$eval(`[data-chart="${chart}"] circle.point`, (c) => c.map((p) => ({ x: Number(p.dataset.x), y: Number(p.dataset.y) })));
const stat = async (w, name) => Number(await page.locator(`[data-widget="${w}"] [data-stat="${name}"]`).getAttribute('data-value'));
const banner = (w) => page.locator(`[data-widget="${w}"] .error-banner`);

const L = lessonPage('quadratic_cost');
before(async () => ({ page, native } = await L.ready));

test('measuring times the kernel at every size in a Web Worker, fits c·n², and plots 4·n² bytes', async () => {
  const workers = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.locator('[data-widget="measure"] input[data-slider="largest"]').fill('9');  // up to 512
  await page.locator('[data-action="measure"]').click();
  await page.waitForSelector('[data-widget="measure"][data-state="done"]', { timeout: 60000 });
  assert.deepEqual(workers.map((u) => new URL(u).pathname), ['/assets/js/worker.js'], 'the timing ran in a worker');
  assert.equal(Number(await page.locator('[data-widget="measure"] progress.run-progress').getAttribute('value')), 1);
  const t = await points('time');
  assert.deepEqual(t.map((p) => p.x), [64, 128, 256, 512]);
  t.forEach((p) => assert.ok(p.y > 0, `time at ${p.x}`));
  assert.ok(t[3].y > t[0].y, 'n = 512 takes longer than n = 64');
  assert.ok((await stat('measure', 'c')) > 0);
  const m = await points('memory');
  m.forEach((p) => assert.equal(p.y, (4 * p.x * p.x) / 2 ** 20));
  assert.ok((await page.locator('[data-chart="time"] path.curve').count()) === 1, 'the fitted curve is drawn');
});

test('the roofline: seven steps at their intensities, four published roofs, then this tab measured', async () => {
  const w = page.locator('[data-widget="roofline"]');
  assert.equal(await w.locator('g.step').count(), 7);
  assert.equal(await w.locator('g.roof.published').count(), 4);
  assert.equal(await stat('roofline', 'step1'), 0.5);  // the naive softmax: 4 operations per 8 bytes
  const r = await page.evaluate(async () => (await (await import('./lesson.mjs')).default()).roofline_model(4096, 64));
  assert.ok(r.ok, r.error);
  assert.ok(Math.abs(r.steps[5].intensity - 0.508) < 1e-3, 'decoding, fp32 cache: about half a FLOP per byte');
  await w.locator('[data-action="measure-roof"]').click();
  await page.waitForSelector('[data-widget="roofline"][data-state="done"]', { timeout: 60000 });
  assert.equal(await w.locator('g.roof.mine').count(), 1);
  assert.ok((await stat('roofline', 'peak')) > 0.1, 'a peak in GFLOP/s');
  assert.ok((await stat('roofline', 'bandwidth')) > 0.1, 'a bandwidth in GB/s');
});

test('the model on the page equals the native model', async () => {
  await page.locator('[data-input="n"]').fill('1024');
  await page.locator('[data-action="ask"]').click();
  assert.equal(await stat('ask', 'flops'), native.n1024.flops);
  assert.equal(await stat('ask', 'score_bytes'), native.n1024.score_bytes);
  assert.ok(await banner('ask').isHidden());
});

test('n = 65536 is refused with the memory it would need; bad text is named; the page keeps working', async () => {
  await page.locator('[data-input="n"]').fill('65536');
  await page.locator('[data-action="ask"]').click();
  assert.match(await banner('ask').textContent(), /would need 16 GiB, more than the 512 MiB allowed here/);
  await page.locator('[data-input="n"]').fill('lots');
  await page.locator('[data-action="ask"]').click();
  assert.match(await banner('ask').textContent(), /n is "lots", which is not a number/);
  await page.locator('[data-input="n"]').fill('2048');
  await page.locator('[data-action="ask"]').click();
  assert.ok(await banner('ask').isHidden());
  assert.equal(await stat('ask', 'score_bytes'), 4 * 2048 * 2048);
});

endsClean(L);
