// Lesson 09's page in headless Chromium: the tile step-through skips causal
// tiles, the memory meter compares n² with one tile, the two loop orders step
// side by side, the SRAM sidebar computes FlashAttention's block sizes for a
// typed memory (and names a bad one), and the four kernels run
// in the page on the native example's input with outputs equal to the native build's.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {endsClean, lessonPage } from '../../tests/browser/harness.mjs';

let page, native;
const stat = async (name) => page.locator(`[data-widget="tiles"] [data-stat="${name}"]`).getAttribute('data-value');

const L = lessonPage('tiled');
before(async () => ({ page, native } = await L.ready));

test('the causal schedule of n = 100 in 16×16 tiles: 49 tiles, 21 skipped, stepping walks them', async () => {
  const w = page.locator('[data-widget="tiles"]');
  assert.equal(await w.locator('.tile').count(), 49);
  assert.equal(await w.locator('.tile.skipped').count(), 21);
  assert.equal(Number(await stat('skipped')), 21);
  await w.locator('[data-action="step"]').click();
  await w.locator('[data-action="step"]').click();
  assert.equal(Number(await stat('step')), 2);
  assert.match(await w.locator('[data-stat="current"]').textContent(), /Q rows 0–15 × K rows 16–31.*skipped/);
  await w.locator('[data-action="end"]').click();
  assert.equal(Number(await stat('computed')), 28);
  await page.locator('[data-toggle="causal"]').uncheck();
  assert.equal(await w.locator('.tile.skipped').count(), 0);
});

test('the tiles picture is the trace: tile N\'s Q and K/V blocks, its scores, and its rows\' m, ℓ and O_i', async () => {
  const w = page.locator('[data-widget="tiles"]'), scene = '[data-scene="tiles"]';
  await page.locator('[data-widget="tiles"] input[data-slider="n"]').fill('40');
  await page.locator('[data-widget="tiles"] input[data-slider="Br"]').fill('3');
  await page.locator('[data-widget="tiles"] input[data-slider="Bc"]').fill('3');
  await page.locator('[data-toggle="causal"]').check();
  const count = await w.locator('.tile').count();
  assert.equal(count, 25);
  const trace = await page.evaluate(async (count) => {
    const m = await (await import('./lesson.mjs')).default();
    return Array.from({ length: count }, (_, at) => m.step(40, 8, 8, true, at));
  }, count);
  for (let N = 1; N <= count; ++N) {
    await w.locator('[data-action="step"]').click();
    const t = trace[N - 1];
    assert.ok(t.ok, t.error);
    assert.equal(await w.locator(`${scene} .band.on[data-q0]`).getAttribute('data-q0'), String(t.tile.q0), `step ${N}: the Q block`);
    assert.equal(await w.locator(`${scene} .band.on[data-k0]`).getAttribute('data-k0'), String(t.tile.k0), `step ${N}: the K/V block`);
    assert.match(await w.locator(`${scene} .tile.current`).getAttribute('class'), t.tile.skipped ? /skipped/ : /full|masked/);
    const scores = await page.$$eval(`${scene} rect[data-cells="score"]`, (rs) => rs.map((r) => [Number(r.dataset.i), Number(r.dataset.j), Number(r.dataset.value)]));
    if (t.tile.skipped) assert.equal(scores.length, 0, `step ${N}: a skipped tile is never computed`);
    else {
      assert.equal(scores.length, (t.tile.q1 - t.tile.q0) * (t.tile.k1 - t.tile.k0), `step ${N}: one square per score of the tile`);
      for (const [i, j, v] of scores) assert.equal(v, t.rows[i].s[j], `step ${N}: S(${i}, ${j})`);
    }
    for (const [key, get] of [['m', (r) => r.m], ['l', (r) => r.l], ['o0', (r) => r.o[0]], ['o1', (r) => r.o[1]]]) {
      const bars = await page.$$eval(`${scene} rect[data-bars="${key}"]`, (rs) => rs.map((r) => [Number(r.dataset.value), Number(r.getAttribute('width')), Number(r.dataset.scale)]));
      assert.equal(bars.length, t.rows.length, `step ${N}: one ${key} bar per row of the block`);
      bars.forEach(([v, width, scale], k) => {
        assert.equal(v, get(t.rows[k]), `step ${N}: row ${k}'s ${key}`);
        assert.ok(Math.abs(width - (Number.isFinite(v) ? Math.abs(v) * scale : 0)) <= 1e-3, `step ${N}: row ${k}'s ${key} bar length`);
      });
    }
  }
  await page.locator('[data-widget="tiles"] input[data-slider="n"]').fill('100');
  await page.locator('[data-widget="tiles"] input[data-slider="Br"]').fill('4');
  await page.locator('[data-widget="tiles"] input[data-slider="Bc"]').fill('4');
});

test('the memory meter: n² floats against one tile', async () => {
  const naive = Number(await page.locator('[data-meter="naive"]').getAttribute('data-value'));
  const tiled = Number(await page.locator('[data-meter="tiled"]').getAttribute('data-value'));
  assert.equal(naive, 4 * 100 * 100);
  await page.locator('[data-widget="tiles"] input[data-slider="n"]').fill('256');
  assert.equal(Number(await page.locator('[data-meter="naive"]').getAttribute('data-value')), 4 * 256 * 256);
  assert.equal(Number(await page.locator('[data-meter="tiled"]').getAttribute('data-value')), tiled, 'tiled memory does not grow with n');
});

test('two loop orders: the same 16 tiles, FA-2 finishing a query block first, FA-1 a key block first', async () => {
  const w = page.locator('[data-widget="orders"]');
  assert.equal(await w.locator('.tile[data-order="fa2"]').count(), 16);
  assert.equal(await w.locator('.tile[data-order="fa1"]').count(), 16);
  for (let i = 0; i < 2; ++i) await w.locator('[data-action="step"]').click();
  // After two visits, FA-2 has done tiles (0,0) and (0,1) of the grid; FA-1 has done (0,0) and (1,0).
  const done = async (order) => w.locator(`.tile[data-order="${order}"]`).evaluateAll((ts) => ts.map((t, i) => (t.classList.contains('done') ? i : -1)).filter((i) => i >= 0));
  assert.deepEqual(await done('fa2'), [0, 1]);
  assert.deepEqual(await done('fa1'), [0, 4]);
  assert.match(await w.locator('.order-note').nth(1).textContent(), /main memory/);
  // The orders come from the library: the same visits, reordered.
  const r = await page.evaluate(async () => (await (await import('./lesson.mjs')).default()).loop_orders(16, 4, 4));
  assert.ok(r.ok, r.error);
  const key = (t) => `${t.q0},${t.k0}`;
  assert.deepEqual(r.fa1.map(key).sort(), r.fa2.map(key).sort());
  assert.deepEqual(r.fa1.slice(0, 4).map((t) => t.k0), [0, 0, 0, 0]);
});

test('the SRAM sidebar: B_c = ⌈M/4d⌉ for a GPU\'s 192 KiB, the ratio for the learner\'s L2, a bad size named', async () => {
  const w = page.locator('[data-widget="sram"]');
  const value = async (name) => Number(await w.locator(`[data-stat="${name}"]`).getAttribute('data-value'));
  assert.equal(await value('Bc'), 192);
  assert.equal(await value('Br'), 64);
  await w.locator('button[data-kib="2048"]').click();
  assert.equal(await value('Bc'), 2048);
  await w.locator('input[name="kib"]').fill('0');
  await w.locator('.error-banner, [role="alert"]').first().waitFor();
  assert.match(await w.locator('.error-banner, [role="alert"]').first().textContent(), /on-chip memory/);
  await w.locator('input[name="kib"]').fill('48');
  assert.equal(await value('Bc'), 48);
});

test('all four kernels run in the page and agree with each other and with the native build', async () => {
  const r = await page.evaluate(async () => {
    const { default: create } = await import('./lesson.mjs');
    const m = await create();
    return ['naive', 'online', 'tiled', 'simd'].map((v) => m.run(v, 257, true, 1));
  });
  for (const x of r) {
    assert.ok(x.ok, x.error);
    x.O_first_rows.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - native.O_first_rows[i][j]) <= 1e-5, `row ${i} col ${j}`)));
    x.O_last_row[0].forEach((v, j) => assert.ok(Math.abs(v - native.O_last_row[0][j]) <= 1e-5, `last row col ${j}`));
    assert.ok(x.max_diff <= 1e-5);
  }
  assert.equal(r[3].isa, 'WebAssembly SIMD128');
  await page.locator('[data-action="run-all"]').click();
  await page.waitForSelector('[data-widget="versions"][data-state="done"]', { timeout: 60000 });
  for (const v of ['naive', 'online', 'tiled', 'simd']) {
    const d = Number(await page.locator(`tr[data-version="${v}"] td:nth-child(4)`).getAttribute('data-value'));
    assert.ok(d <= 1e-5, `${v} differs from naive by ${d}`);
  }
});

test('"Run all four" runs in a Web Worker with a progress bar, and Cancel stops it mid-kernel', async () => {
  const w = page.locator('[data-widget="versions"]');
  const runners = () => page.workers().filter((x) => new URL(x.url()).pathname === '/assets/js/worker.js');
  await w.locator('input[data-slider="vn"]').fill('11');  // n = 2048: the naive kernel alone takes a while
  await w.locator('[data-action="run-all"]').click();
  assert.equal(await w.getAttribute('data-state'), 'running');
  assert.ok(await w.locator('progress.run-progress').isVisible());
  // The page answers while the kernels run: the main thread is free, the work is in the worker.
  assert.equal(await page.evaluate(() => document.querySelector('[data-widget="versions"]').dataset.state), 'running');
  for (let t = 0; t < 100 && !runners().length; ++t) await new Promise((r) => setTimeout(r, 50));
  assert.equal(runners().length, 1, 'one worker runs the kernels');
  const running = runners()[0], closed = new Promise((r) => running.on('close', r));
  await w.locator('[data-action="cancel"]').click();
  await page.waitForSelector('[data-widget="versions"][data-state="cancelled"]', { timeout: 5000 });
  await closed;  // terminated, not left computing
  assert.equal(runners().length, 0);
  assert.match(await w.locator('.run-status').textContent(), /cancelled/);
  assert.equal(await w.locator('[data-action="run-all"]').isDisabled(), false);
  assert.equal(await w.locator('[data-action="cancel"]').isVisible(), false);
  // The next run starts a new worker and finishes.
  await w.locator('input[data-slider="vn"]').fill('8');
  await w.locator('[data-action="run-all"]').click();
  await page.waitForSelector('[data-widget="versions"][data-state="done"]', { timeout: 60000 });
  assert.equal(runners().length, 1);
  assert.notEqual(runners()[0], running);
  assert.equal(Number(await w.locator('progress.run-progress').getAttribute('value')), 1);
});

test('a bad version is refused with a message', async () => {
  const r = await page.evaluate(async () => (await (await import('./lesson.mjs')).default()).run('fast', 64, false, 1));
  assert.equal(r.ok, false);
  assert.match(r.error, /no kernel version 'fast'/);
});

endsClean(L);
