// tests/browser/exercise.test.mjs — the exercise in the page, through the real server that
// `./lab serve` starts (web/exercise-server.mjs) and the native attnlab: the learner runs the
// stub's tests and sees ✗, writes the solution and sees ✓ (then the reference), makes a compile
// error and sees it on its line. Served as static files, the same page shows the exercise
// read-only. The exercise lives in a scratch folder: lessons/ is never touched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPage, openSite, screenshotPath } from './harness.mjs';

const source = new URL('../..', import.meta.url).pathname;
const slug = 'qkv_dot_product';
const stub = readFileSync(join(source, 'lessons', slug, 'exercise.cpp'), 'utf8');
const solved = readFileSync(join(source, 'tests/fixtures/class/ada/lessons', slug, 'exercise.cpp'), 'utf8');
const broken = readFileSync(join(source, 'tests/fixtures/class/cy', `${slug}.cpp`), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'attnlab-page-exercise-'));
const exercises = join(scratch, 'exercises');
let site, page;

before(async () => {
  assert.ok(process.env.ATTNLAB, 'ATTNLAB names the native attnlab');
  mkdirSync(join(exercises, slug), { recursive: true });
  writeFileSync(join(exercises, slug, 'exercise.cpp'), stub);
  process.env.ATTNLAB_STATE_DIR = scratch;
  site = await openSite({ exercises: { source, attnlab: process.env.ATTNLAB, exercises, testSeconds: 30 } });
  page = await newPage(site);
});
after(async () => {
  await site?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const card = () => page.locator('[data-exercise-editor]');
/** Replaces the editor's text as a learner's paste would (no auto-indent, no auto-closed brackets). */
async function write(text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}
async function runTests(state) {
  await card().locator('[data-action="run-tests"]').click();
  await page.waitForSelector(`[data-exercise-editor][data-state="${state}"]`, { timeout: 300_000 });
}

test('the link with the token opens a live editor holding the exercise, and the token leaves the address bar', async () => {
  await page.goto(`${site.base}/lessons/${slug}/index.html?token=${site.server.exercises.token}`);
  await card().scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-exercise-editor][data-ready="true"] [data-editor="live"] .cm-content[contenteditable="true"]');
  assert.equal(new URL(page.url()).search, '', 'no token in the address bar');
  assert.match(await page.locator('.cm-content').innerText(), /TODO\(qkv_dot_product\)/);
});

test('Run tests on the stub: each test streams in, and the failures are ✗', async () => {
  await runTests('failed');
  const fails = await card().locator('.exercise-results > li.fail').count();
  const passes = await card().locator('.exercise-results > li.pass').count();
  assert.ok(fails > 0, 'the stub fails');
  assert.match(await card().locator('.exercise-status').innerText(), new RegExp(`✗ ${fails} of ${fails + passes} tests fail`));
  assert.match(await card().locator('.exercise-results > li.fail ul li').first().innerText(), /^test\.cpp line \d+: /);
  assert.equal(await card().locator('[data-action="compare"]').isDisabled(), true, 'no reference before it passes');
});

test('the solution written in the page is saved, passes every test, and opens the reference', async () => {
  await write(solved);
  await runTests('passed');
  assert.equal(readFileSync(join(exercises, slug, 'exercise.cpp'), 'utf8'), solved, 'saved to the file');
  assert.equal(await card().locator('.exercise-results > li.fail').count(), 0);
  assert.ok(await card().locator('.exercise-results > li.pass').count() >= 5);
  assert.match(await card().locator('.exercise-status').innerText(), /✓ All \d+ tests pass/);
  await card().locator('[data-action="compare"]').click();
  await page.waitForSelector('.exercise-reference[open] pre');
  assert.match(await card().locator('.exercise-reference pre').innerText(), /matrix scores\(/);
  await card().screenshot({ path: screenshotPath('exercise-passed') });
});

test('a compile error is shown on its line', async () => {
  await write(broken);
  await runTests('does not compile');
  const first = card().locator('.exercise-errors li').first();
  assert.match(await first.innerText(), /^line 31: .*zero/);
  assert.ok(await page.locator('.cm-lintRange-error').count() >= 1, 'the error is underlined in the editor');
  await first.locator('button').click();
  assert.equal((await page.locator('.cm-lineNumbers .cm-activeLineGutter').innerText()).trim(), '31', 'the button goes to line 31');
  assert.equal(await page.locator('.cm-gutter-lint .cm-activeLineGutter .cm-lint-marker-error').count(), 1, 'the error mark is on line 31');
  await card().screenshot({ path: screenshotPath('exercise-compile-error') });
});

test('served as plain static files, the page shows the exercise read-only, with the commands', async () => {
  const plain = await openSite();
  try {
    const p = await newPage(plain);
    await p.goto(`${plain.base}/lessons/${slug}/index.html`);
    const box = p.locator('[data-exercise-editor]');
    await box.scrollIntoViewIfNeeded();
    await p.waitForSelector('[data-exercise-editor][data-ready="true"] [data-editor="read-only"] .cm-content');
    assert.equal(await p.locator('.cm-content').getAttribute('contenteditable'), 'false');
    assert.match(await p.locator('.cm-content').innerText(), /TODO\(qkv_dot_product\)/);
    assert.match(await box.innerText(), /\.\/lab serve/);
    assert.match(await box.innerText(), /\.\/lab watch 1/);
    assert.equal(await box.locator('[data-action="run-tests"]').count(), 0);
    assert.deepEqual(p.problems, []);
  } finally {
    await plain.close();
  }
  assert.deepEqual(page.problems, []);
});

test('the class report `attnlab grade` writes sorts by a column and filters by learner and by state', async () => {
  const klass = join(scratch, 'class');
  mkdirSync(join(klass, 'ada', slug), { recursive: true });
  writeFileSync(join(klass, 'ada', slug, 'exercise.cpp'), solved);
  mkdirSync(join(klass, 'bo', slug), { recursive: true });
  writeFileSync(join(klass, 'bo', slug, 'exercise.cpp'), stub);  // handed in untouched
  mkdirSync(join(klass, 'cal'));  // handed in nothing
  const r = spawnSync(process.env.ATTNLAB, ['grade', klass, '--lesson', '1', '--lesson', '2'], { encoding: 'utf8', timeout: 600_000,
    env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const report = await site.browser.newPage();
  await report.goto(`file://${join(klass, 'class-report.html')}`);
  const learners = () => report.locator('#grid tbody tr:not([hidden]) th').allInnerTexts();
  assert.deepEqual(await learners(), ['ada', 'bo', 'cal']);
  assert.match(await report.locator('tr[data-learner="ada"] td.passed').innerText(), /passed \(\d+\/\d+\)/);
  assert.equal(await report.locator('tr[data-learner="bo"] td[data-state="untouched"]').count(), 1);
  assert.equal(await report.locator('tr[data-learner="cal"] td[data-state="not handed in"]').count(), 2);
  await report.locator('#grid thead th', { hasText: 'Learner' }).click();  // ascending
  await report.locator('#grid thead th', { hasText: 'Learner' }).click();  // descending
  assert.deepEqual(await learners(), ['cal', 'bo', 'ada']);
  await report.selectOption('#state', 'passed');
  assert.deepEqual(await learners(), ['ada']);
  await report.selectOption('#state', '');
  await report.fill('#who', 'b');
  assert.deepEqual(await learners(), ['bo']);
  await report.close();
});
