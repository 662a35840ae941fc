// Lesson 17's page in headless Chromium: the model in WebAssembly gives the native build's logits
// (to 1e-4: the native build may fuse multiply-adds, wasm cannot) and the same greedy text; the
// head view draws the module's maps; switching a head off changes the predictions as the library's
// ablation says; the copying widget finds an induction head.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { endsClean, lessonPage } from '../../tests/browser/harness.mjs';

let page, native;
const L = lessonPage('trained_model');
before(async () => ({ page, native } = await L.ready));

/** Calls the lesson's module in the page, with the course's model loaded, as page.js does. */
const inPage = (fn, ...args) => page.evaluate(async ([fn, args]) => {
  window.__lesson ??= (async () => {
    const m = await (await import('./lesson.mjs')).default();
    const bytes = new Uint8Array(await (await fetch('../../assets/model/course.weights')).arrayBuffer());
    const r = m.use_model(bytes);
    if (!r.ok) throw new Error(r.error);
    return m;
  })();
  return (await window.__lesson)[fn](...args);
}, [fn, args]);

test('the logits in WebAssembly are the native build\'s to 1e-4, with every head on and with one off', async () => {
  const ex = await inPage('example');
  for (const [off, want] of [[[], native.logits], [[native.probe.best[0] * 4 + native.probe.best[1]], native.logits_without]]) {
    const r = await inPage('logits', ex.prompt, off);
    assert.ok(r.ok, r.error);
    assert.equal(r.value.length, 256);
    const worst = Math.max(...r.value.map((z, j) => Math.abs(z - want[j])));
    assert.ok(worst <= 1e-4, `heads off [${off}]: max |wasm − native| = ${worst}`);
  }
});

test('greedy generation of the fixed prompt is the native build\'s, byte for byte', async () => {
  const ex = await inPage('example');
  const r = await inPage('write', ex.prompt, 60, 0, 0, 1);
  assert.equal(r.text, native.greedy.text);
});

test('the next-byte bars are the module\'s prediction, and follow the text typed', async () => {
  const bars = page.locator('[data-chart="next"]');
  assert.equal(await bars.getAttribute('data-top'), native.next.top.map((c) => c.code).join(','));
  await page.locator('[data-widget="predict"] [data-input="text"]').fill('The softmax of the scor');
  const r = await inPage('predict', 'The softmax of the scor', [], 10);
  await page.waitForFunction((want) => document.querySelector('[data-chart="next"]').dataset.top === want, r.top.map((c) => c.code).join(','));
  assert.equal(r.top[0].byte, 'e', 'after "scor" the model expects "e"');
});

test('Write generates text, and a temperature makes a different text', async () => {
  const W = '[data-widget="predict"]';
  await page.locator(`${W} [data-input="text"]`).fill('Attention lets every token ');
  await page.locator(`${W} [data-action="write"]`).click();
  const greedy = await page.locator('[data-generated]').first().getAttribute('data-generated');
  assert.equal(greedy.slice(0, 60), native.greedy.text);
  await page.locator(`${W} [data-slider="temperature"]`).fill('1');
  await page.locator(`${W} [data-action="write"]`).click();
  const sampled = await page.locator('[data-generated]').first().getAttribute('data-generated');
  assert.notEqual(sampled, greedy);
  assert.match(await page.locator('[data-speed]').textContent(), /ms a byte/);
});

test('the head view draws the module\'s map: every line\'s weight, for the head chosen', async () => {
  const W = '[data-widget="heads"]';
  const text = await page.locator(`${W} [data-input="text"]`).inputValue();
  await page.locator(`${W} [data-layer="1"]`).click();
  await page.locator(`${W} [data-head="2"]`).click();
  const r = await inPage('look', text, []);
  const lines = await page.$$eval(`${W} line.attend`, (ls) => ls.map((l) => [Number(l.dataset.i), Number(l.dataset.j), Number(l.dataset.value)]));
  assert.ok(lines.length > 0);
  for (const [i, j, w] of lines) assert.ok(Math.abs(w - r.maps[1][2][i][j]) < 1e-6, `line ${i} → ${j}`);
  // pointing at a query shows only its lines
  await page.locator(`${W} [data-query="5"]`).hover();
  const focused = await page.$$eval(`${W} line.attend`, (ls) => [...new Set(ls.map((l) => l.dataset.i))]);
  assert.deepEqual(focused, ['5']);
  assert.equal(await page.locator(`${W} .thumb`).count(), 8, 'the model view has every head of both layers');
});

test('switching a head off changes the predictions exactly as the library\'s ablation says', async () => {
  const before = await page.locator('[data-chart="next"]').getAttribute('data-top');
  const text = await page.locator('[data-widget="predict"] [data-input="text"]').inputValue();
  await page.locator('[data-model-head="4"] input[type=checkbox]').check();  // layer 2, head 1
  const r = await inPage('predict', text, [4], 10);
  await page.waitForFunction((want) => document.querySelector('[data-chart="next"]').dataset.top === want, r.top.map((c) => c.code).join(','));
  const onAgain = await inPage('predict', text, [], 10);
  assert.equal(before, onAgain.top.map((c) => c.code).join(','));
  await page.locator('[data-model-head="4"] input[type=checkbox]').uncheck();
  await page.waitForFunction((want) => document.querySelector('[data-chart="next"]').dataset.top === want, before);
});

test('the copying widget finds a head that copies, and the repeats are less surprising', async () => {
  const stat = async (name) => Number(await page.locator(`[data-widget="copying"] [data-stat="${name}"]`).getAttribute('data-value'));
  const first = await stat('first'), later = await stat('later');
  assert.ok(first - later >= 1, `first ${first}, later ${later}`);
  assert.ok(native.probe.test.scores.flat().some((s) => s >= 0.5));
});

endsClean(L);
