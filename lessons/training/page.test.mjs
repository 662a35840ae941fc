// Lesson 15's page in headless Chromium: the capstone trains in the page to
// below the target loss in under 30 s, the attention map shows the learned
// pattern, the first loss equals the native build's, the pace control and the
// status line (training, paused, trained, reset) do what they say, and a refused
// setting is named while the page keeps working.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { endsClean, lessonPage, readMatrix, screenshotPath } from '../../tests/browser/harness.mjs';

let page, native;
const W = '[data-widget="trainer"]';
const stat = async (name) => Number(await page.locator(`${W} [data-stat="${name}"]`).getAttribute('data-value'));

const L = lessonPage('training');
before(async () => ({ page, native } = await L.ready));

test('the untrained loss equals the native build (chance: about ln 10)', async () => {
  assert.ok(Math.abs((await stat('loss')) - native.initial_loss) <= 1e-4);
  assert.ok(native.initial_loss > 2);
});

test('the pace: 20 steps a second follows the clock, the curve is joined up, Pause holds the step, a changed setting resets', async () => {
  const w = page.locator(W), state = () => w.locator('.run-status').getAttribute('data-state');
  await w.locator('button[data-pace="20"]').click();
  const t0 = Date.now();
  await w.locator('[data-action="train"]').click();
  assert.equal(await state(), 'running');
  await page.waitForTimeout(1500);
  await w.locator('[data-action="pause"]').click();
  const seconds = (Date.now() - t0) / 1000, s1 = await stat('steps');
  assert.ok(s1 >= 1 && s1 <= 20 * seconds + 20, `${s1} steps in ${seconds} s at 20 a second`);
  assert.equal(await state(), 'paused');
  assert.match(await w.locator('.run-status').textContent(), new RegExp(`Paused at step ${s1}`));
  assert.match(await w.locator('[data-action="train"]').textContent(), /Go on/);
  await page.waitForTimeout(300);
  assert.equal(await stat('steps'), s1, 'paused means no more steps');
  const dots = await w.locator('[data-chart="loss"] circle.point').count();
  assert.ok(dots >= 2, 'a point per redraw');
  assert.equal(await w.locator('[data-chart="loss"] path.trace').count(), 1, 'the points joined by a line');
  await w.locator('[data-action="train"]').click();  // goes on from s1
  await page.waitForTimeout(300);
  await w.locator('[data-action="pause"]').click();
  assert.ok((await stat('steps')) >= s1);
  await w.locator('input[data-slider="seed"]').fill('2');
  assert.equal(await state(), 'idle');
  assert.match(await w.locator('.run-status').textContent(), /Reset: the seed changed/);
  assert.equal(await stat('steps'), 0);
  await w.locator('input[data-slider="seed"]').fill('1');
  await w.locator('button[data-pace="20"]').click();  // the default: the reverse task takes a few seconds to watch
});

test('reverse trains below the target in under 30 s, and the map is the anti-diagonal', async () => {
  const t0 = Date.now();
  await page.locator(`${W} [data-action="train"]`).click();
  await page.waitForSelector(`${W} .run-status[data-trained="true"]`, { timeout: 30000 });
  assert.ok(Date.now() - t0 < 30000);
  assert.ok((await stat('loss')) < 0.05);
  assert.ok((await stat('accuracy')) > 0.98);
  assert.match(await page.locator(`${W} [data-action="train"]`).textContent(), /Train again/);
  assert.match(await page.locator(`${W} .run-status`).textContent(), /Train again to start from a fresh model/);
  const A = await readMatrix(page, `${W} [data-heatmap="A"]`);
  A.forEach((row, i) => assert.equal(row.indexOf(Math.max(...row)), row.length - 1 - i, `query ${i} looks at its mirror`));
  const shot = screenshotPath('training-trained');
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
});

test('shift learns the band below the diagonal', async () => {
  await page.locator(`${W} button[data-task="shift"]`).click();
  assert.ok((await stat('loss')) > 2);
  await page.locator(`${W} [data-action="train"]`).click();
  await page.waitForSelector(`${W} .run-status[data-trained="true"]`, { timeout: 30000 });
  const A = await readMatrix(page, `${W} [data-heatmap="A"]`);
  A.forEach((row, i) => assert.equal(row.indexOf(Math.max(...row)), (i + row.length - 1) % row.length));
});

test('a refused setting is named and the page keeps working', async () => {
  const r = await page.evaluate(async () => {
    const m = await (await import('/lessons/training/lesson.mjs')).default();
    return [m.train(5).error, m.reset('sort', 0.003, 1).error, m.reset('copy', 0.5, 1).error, m.reset('copy', 0.003, 1).ok];
  });
  assert.match(r[0], /call reset first/);
  assert.match(r[1], /unknown task "sort"/);
  assert.match(r[2], /learning rate must be in/);
  assert.equal(r[3], true);
  assert.deepEqual(page.problems, []);
});

endsClean(L);
