// Teaching features in headless Chromium: self-checks completed with the
// keyboard alone, progress that survives a reload and shows on the index,
// export and import of progress, shared links that restore a view, figure
// export as valid SVG, PNG and CSV, dark mode and the phone layout, and presenter
// mode. The accessibility audit of every page is accessibility.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { manifest, newPage, screenshotPath, selfchecksReady as waitReady, siteFixture } from './harness.mjs';

const L01 = '/lessons/qkv_dot_product/index.html';
const L02 = '/lessons/softmax_scaling/index.html';
const site = siteFixture();

/** A page in a fresh context (its own localStorage), with downloads allowed. */
async function freshPage(options = {}) {
  const context = await site.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...options });
  const page = await newPage({ ...site, browser: context });
  page.context_ = context;
  return page;
}

async function saveDownload(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

test('a self-check done with the keyboard alone, kept across a reload and shown on the index', async () => {
  const page = await freshPage();
  // Lesson 01: a choice. Start from the "Check yourself" heading, then only keys.
  await page.goto(site.base + L01 + '#check-yourself');
  await waitReady(page);
  await page.keyboard.press('Tab');  // the first option of question 1
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.option), '0');
  await page.keyboard.press('ArrowDown');  // radio groups move and select with the arrows
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.option), '2');
  await page.keyboard.press('Tab');  // the Check button
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Check');
  await page.keyboard.press('Enter');
  const card = page.locator('[data-check="qkv_dot_product.top-key"]');
  await page.waitForSelector('[data-check="qkv_dot_product.top-key"][data-done="true"]');
  assert.match(await card.locator('.check-feedback').textContent(), /^Right\. The scores are 2, 2 and 3/);

  // Lesson 02: numbers typed, a wrong answer first, a hint, then the right one, all by keyboard.
  await page.goto(site.base + L02 + '#check-yourself');
  await waitReady(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'answer-softmax_scaling.softmax');
  await page.keyboard.type('0.5, 0.3, 0.2');
  await page.keyboard.press('Enter');
  const c2 = page.locator('[data-check="softmax_scaling.softmax"]');
  assert.match(await c2.locator('.check-feedback').textContent(), /Not quite/);
  await page.keyboard.press('Tab');  // Check
  await page.keyboard.press('Tab');  // Hint
  await page.keyboard.press('Enter');
  assert.match(await c2.locator('.check-hints li').first().textContent(), /Subtract the maximum/);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');  // back to the answer
  await page.keyboard.press('Control+A');
  await page.keyboard.type('lots');
  await page.keyboard.press('Enter');
  assert.match(await c2.locator('.check-feedback').textContent(), /'lots' is not a number/);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('0.67, 0.24, 0.09');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-check="softmax_scaling.softmax"][data-done="true"]');

  // A reload keeps both.
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('[data-check="softmax_scaling.softmax"]').getAttribute('data-done'), 'true');
  assert.equal(await page.locator('[data-check="softmax_scaling.scale"]').getAttribute('data-done'), null);

  // The index shows them: lesson 01 complete, lesson 02 one of two, two done in all.
  await page.goto(site.base + '/index.html');
  await page.waitForSelector('[data-progress][data-ready="true"]');
  assert.equal(await page.locator('.card[data-lesson="qkv_dot_product"]').getAttribute('data-checks-done'), '1');
  const countOf = async (slug) => Number(await page.locator(`.card[data-lesson="${slug}"]`).getAttribute('data-checks'));
  assert.ok(await countOf('qkv_dot_product') >= 3, 'three self-checks or more per lesson');
  assert.match(await page.locator('.card[data-lesson="qkv_dot_product"] .card-progress').textContent(),
    new RegExp(`1 of ${await countOf('qkv_dot_product')} self-checks · visited`));
  assert.match(await page.locator('.card[data-lesson="softmax_scaling"] .card-progress').textContent(),
    new RegExp(`1 of ${await countOf('softmax_scaling')} self-checks · visited`));
  assert.equal(await page.locator('[data-progress]').getAttribute('data-done'), '2');
  assert.equal(await page.locator('.card[data-lesson="masking"]').getAttribute('data-visited'), 'false');
  const shot = screenshotPath('index-progress');
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: false });

  // Export the progress file, then import it into a browser that has none.
  await page.fill('#progress-name', 'Ada');
  await page.press('#progress-name', 'Tab');
  const { name, bytes } = await saveDownload(page, () => page.click('[data-action="export-progress"]'));
  assert.equal(name, 'attention-lab-progress-Ada.json');
  const exported = JSON.parse(bytes.toString('utf8'));
  assert.equal(exported.format, 'attention-lab-progress');
  assert.deepEqual(Object.keys(exported.checks).sort(), ['qkv_dot_product.top-key', 'softmax_scaling.softmax']);
  assert.equal(exported.name, 'Ada');

  const other = await freshPage();
  await other.goto(site.base + '/index.html');
  await other.waitForSelector('[data-progress][data-ready="true"]');
  assert.equal(await other.locator('[data-progress]').getAttribute('data-done'), '0');
  const file = `${process.env.ATTN_SITE_DIR}/../progress-import.json`;
  writeFileSync(file, bytes);
  await other.setInputFiles('[data-import-file]', file);
  await other.waitForSelector('[data-progress][data-done="2"]');
  assert.match(await other.locator('.progress-message').textContent(), /Imported/);
  // A file that is not progress is refused with a message, and nothing changes.
  writeFileSync(file, JSON.stringify({ format: 'something-else' }));
  await other.setInputFiles('[data-import-file]', file);
  await other.waitForSelector('.progress-message.bad');
  assert.match(await other.locator('.progress-message').textContent(), /not an Attention Lab progress file/);
  writeFileSync(file, '{ not json');
  await other.setInputFiles('[data-import-file]', file);
  await other.waitForFunction(() => /it is not JSON/.test(document.querySelector('.progress-message')?.textContent));
  assert.equal(await other.locator('[data-progress]').getAttribute('data-done'), '2');
  assert.deepEqual([...page.problems, ...other.problems], []);
  await page.context_.close();
  await other.context_.close();
});

test('a misconception\'s answer gets its own feedback; answers are read as learners type them', async () => {
  const page = await freshPage();
  await page.goto(site.base + '/lessons/masking/index.html#check-yourself');
  await waitReady(page);
  // "Mask after the softmax and renormalise: the same P?" Answered "No: the future keys leak".
  const card = page.locator('[data-check="masking.mask-after"]');
  await card.locator('[data-option="1"]').check();
  await card.locator('button[type="submit"]').click();
  assert.match(await card.locator('.check-feedback').textContent(), /^Not quite\. Every future weight is set to 0, and dividing by the new sum cancels/);
  assert.equal(await card.getAttribute('data-done'), null);
  await card.locator('[data-option="0"]').check();
  await card.locator('button[type="submit"]').click();
  await page.waitForSelector('[data-check="masking.mask-after"][data-done="true"]');
  // A number the misconception predicts: zeroing without renormalising, answered 1.
  const sum = page.locator('[data-check="masking.no-renormalise"]');
  await sum.locator('input[type="text"]').fill('1');
  await sum.locator('button[type="submit"]').click();
  assert.match(await sum.locator('.check-feedback').textContent(), /^Not quite\. It would be 1 with −∞ before the softmax/);

  // Lesson 10: "512,000" is one number; lesson 02: "√64" is 8, "2^3" a calculation to type out.
  await page.goto(site.base + '/lessons/kv_cache/index.html#check-yourself');
  await waitReady(page);
  const bytes = page.locator('[data-check="kv_cache.cache-bytes"]');
  await bytes.locator('input[type="text"]').fill('512,000');
  await bytes.locator('button[type="submit"]').click();
  await page.waitForSelector('[data-check="kv_cache.cache-bytes"][data-done="true"]');
  await page.goto(site.base + L02 + '#check-yourself');
  await waitReady(page);
  const scale = page.locator('[data-check="softmax_scaling.scale"]');
  await scale.locator('input[type="text"]').fill('2^3');
  await scale.locator('button[type="submit"]').click();
  assert.match(await scale.locator('.check-feedback').textContent(), /'2\^3' is a calculation: type its value/);
  await scale.locator('input[type="text"]').fill('√64');
  await scale.locator('button[type="submit"]').click();
  await page.waitForSelector('[data-check="softmax_scaling.scale"][data-done="true"]');
  assert.deepEqual(page.problems, []);
  await page.context_.close();
});

test('the exercise\'s hints come one tier at a time, as `attnlab hint` gives them, and are remembered', async () => {
  const page = await freshPage();
  const lesson = manifest.lessons.find((l) => l.slug === 'tiled');
  const tiers = [lesson.hints.idea, lesson.hints.invariant, lesson.hints.pseudocode];
  await page.goto(site.base + '/lessons/tiled/index.html#check-yourself');
  await waitReady(page);
  const card = page.locator('[data-exercise="tiled"]');
  const button = card.locator('[data-exercise-hint]');
  assert.equal(await button.textContent(), 'Hint (1 of 3: the idea)');
  assert.equal(await card.locator('.exercise-hints li').count(), 0, 'no hint before it is asked for');
  await button.click();
  assert.equal(await card.locator('.exercise-hints li').count(), 1);
  assert.ok((await card.locator('.exercise-hints li').nth(0).textContent()).endsWith(tiers[0]));
  assert.equal(await button.textContent(), 'Next hint (2 of 3: the invariant; 2 left)');
  await button.click();
  assert.ok((await card.locator('.exercise-hints li').nth(1).textContent()).endsWith(tiers[1]));
  await page.reload();
  await waitReady(page);
  assert.equal(await card.locator('.exercise-hints li').count(), 2, 'the hints seen are still shown after a reload');
  await button.focus();
  await page.keyboard.press('Enter');
  assert.match(await card.locator('.exercise-hints li').nth(2).textContent(), /^Hint 3 of 3, pseudo-code\./);
  assert.equal(await button.textContent(), 'No more hints');
  assert.equal(await button.isDisabled(), true);
  assert.deepEqual(page.problems, []);
  await page.context_.close();
});

test('exercises: ticked on the lesson page or imported from `attnlab progress --export`, shown on the index', async () => {
  const page = await freshPage();
  await page.goto(site.base + '/lessons/scaled_dot_product/index.html#check-yourself');
  await waitReady(page);
  const card = page.locator('[data-exercise="scaled_dot_product"]');
  assert.match(await card.textContent(), /lessons\/scaled_dot_product\/exercise\.cpp.*\.\/lab check 3/);
  assert.equal(await card.getAttribute('data-done'), 'false');
  await card.locator('[data-exercise-done]').focus();
  await page.keyboard.press('Space');  // a checkbox, so the keyboard ticks it
  assert.equal(await card.getAttribute('data-done'), 'true');
  assert.match(await card.locator('.check-feedback').textContent(), /^Recorded /);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('[data-exercise="scaled_dot_product"]').getAttribute('data-done'), 'true');

  await page.goto(site.base + '/index.html');
  await page.waitForSelector('[data-progress][data-ready="true"]');
  assert.equal(await page.locator('[data-progress]').getAttribute('data-exercises'), '1');
  assert.equal(await page.locator('.card[data-lesson="scaled_dot_product"]').getAttribute('data-exercise'), 'true');
  // A tick is the learner's word, and the index says so.
  assert.match(await page.locator('.card[data-lesson="scaled_dot_product"] .card-progress').textContent(), /✓ exercise ticked \(your word\)/);
  assert.match(await page.locator('.progress-summary').textContent(), new RegExp(`1 of ${manifest.lessons.length} exercises passing`));

  // The file `attnlab progress --export` writes (tests/cli_progress.test.mjs checks its form) merges in.
  const file = `${process.env.ATTN_SITE_DIR}/../progress-attnlab.json`;
  const at = '2026-12-01T09:00:00Z';
  writeFileSync(file, JSON.stringify({ format: 'attention-lab-progress', version: 2, source: 'attnlab progress',
    exported: at, visited: {}, checks: {}, exercises: { qkv_dot_product: at, masking: at },
    exercise_sources: { qkv_dot_product: 'attnlab', masking: 'attnlab' } }));
  await page.setInputFiles('[data-import-file]', file);
  await page.waitForSelector('[data-progress][data-exercises="3"]');
  assert.equal(await page.locator('.card[data-lesson="masking"]').getAttribute('data-exercise'), 'true');
  // attnlab ran those tests on this machine: "passes here", not a tick.
  assert.equal(await page.locator('.card[data-lesson="masking"] .exercise-done').getAttribute('data-provenance'), 'passed here');
  assert.match(await page.locator('.card[data-lesson="masking"] .card-progress').textContent(), /✓ exercise passes here/);
  assert.equal(await page.locator('.card[data-lesson="scaled_dot_product"] .exercise-done').getAttribute('data-provenance'), 'ticked');
  // A file of the old format (version 1, lessons by number) is migrated to the lessons' slugs.
  writeFileSync(file, JSON.stringify({ format: 'attention-lab-progress', version: 1, visited: { 11: at }, checks: { '02-scale': at },
    exercises: { 10: at } }));
  await page.setInputFiles('[data-import-file]', file);
  await page.waitForSelector('[data-progress][data-exercises="4"]');
  assert.equal(await page.locator('.card[data-lesson="grouped_query"]').getAttribute('data-exercise'), 'true');
  assert.equal(await page.locator('.card[data-lesson="sliding_window"]').getAttribute('data-visited'), 'true');
  const { bytes } = await saveDownload(page, () => page.click('[data-action="export-progress"]'));
  const migrated = JSON.parse(bytes.toString('utf8'));
  assert.equal(migrated.version, 2);
  assert.deepEqual(Object.keys(migrated.exercises).sort(), ['grouped_query', 'masking', 'qkv_dot_product', 'scaled_dot_product']);
  assert.deepEqual(migrated.exercise_sources, { grouped_query: 'ticked', masking: 'attnlab', qkv_dot_product: 'attnlab', scaled_dot_product: 'ticked' });
  assert.ok('softmax_scaling.scale' in migrated.checks);
  // An entry that is not a time, or names no lesson, is refused, and nothing changes.
  writeFileSync(file, JSON.stringify({ format: 'attention-lab-progress', version: 1, visited: {}, checks: {}, exercises: { 7: 'yes' } }));
  await page.setInputFiles('[data-import-file]', file);
  await page.waitForSelector('.progress-message.bad');
  assert.match(await page.locator('.progress-message').textContent(), /entry "7" is not valid/);
  writeFileSync(file, JSON.stringify({ format: 'attention-lab-progress', version: 2, visited: {}, checks: {}, exercises: { nosuch: at } }));
  await page.setInputFiles('[data-import-file]', file);
  await page.waitForFunction(() => /names no lesson/.test(document.querySelector('.progress-message').textContent));
  assert.equal(await page.locator('[data-progress]').getAttribute('data-exercises'), '4');

  // Unticking on the lesson page takes it back.
  await page.goto(site.base + '/lessons/scaled_dot_product/index.html');
  await waitReady(page);
  await page.locator('[data-exercise="scaled_dot_product"] [data-exercise-done]').uncheck();
  await page.goto(site.base + '/index.html');
  await page.waitForSelector('[data-progress][data-exercises="3"]');
  assert.deepEqual(page.problems, []);
  await page.context_.close();
});

test('progress kept by an older version of the site (lessons by number) is migrated in place', async () => {
  const page = await freshPage();
  const at = '2026-11-20T10:00:00Z';
  await page.addInitScript((old) => {
    if (!localStorage.getItem('attnlab.progress')) localStorage.setItem('attnlab.progress', JSON.stringify(old));
  }, { format: 'attention-lab-progress', version: 1, visited: { 1: at, 3: at }, checks: { '01-top-key': at }, exercises: { 4: at } });
  await page.goto(site.base + '/index.html');
  await page.waitForSelector('[data-progress][data-ready="true"]');
  assert.equal(await page.locator('.card[data-lesson="qkv_dot_product"]').getAttribute('data-checks-done'), '1');
  assert.equal(await page.locator('.card[data-lesson="scaled_dot_product"]').getAttribute('data-visited'), 'true');
  assert.equal(await page.locator('.card[data-lesson="multihead"]').getAttribute('data-exercise'), 'true');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('attnlab.progress')));
  assert.equal(stored.version, 2);
  assert.deepEqual(stored.exercises, { multihead: at });
  assert.deepEqual(stored.checks, { 'qkv_dot_product.top-key': at });
  assert.deepEqual(page.problems, []);
  await page.context_.close();
});

/** Presses the page's copy-link button and waits for the link: the copy awaits the clipboard first. */
async function copyLink(page) {
  await page.click('[data-action="copy-link"]');
  await page.waitForFunction(() => document.body.dataset.copiedLink);
  return page.evaluate(() => document.body.dataset.copiedLink);
}

test('a shared link restores the same view: matrices, sliders and toggles', async () => {
  const page = await freshPage();
  await page.goto(site.base + L01);
  await waitReady(page);
  const cell = page.locator('[data-matrix="X"] input[data-row="1"][data-col="2"]');
  await cell.fill('3');
  await page.click('[data-matrix="W_q"] button[title="Add a column"]');
  await page.click('[data-matrix="W_k"] button[title="Add a column"]');
  const link = await copyLink(page);
  assert.match(link, /#state=/);
  const scores = () => page.$$eval('[data-heatmap="S"] .heat-cell', (cs) => cs.map((c) => c.dataset.value));
  const before = await scores();

  const other = await freshPage();
  await other.goto(link);
  await waitReady(other);
  assert.equal(await other.locator('[data-matrix="X"] input[data-row="1"][data-col="2"]').inputValue(), '3');
  assert.equal(await other.locator('[data-matrix="W_q"]').getAttribute('data-cols'), '4');
  const after = await other.$$eval('[data-heatmap="S"] .heat-cell', (cs) => cs.map((c) => c.dataset.value));
  assert.deepEqual(after, before);

  // Lesson 02: sliders and toggles.
  await page.goto(site.base + L02);
  await waitReady(page);
  await page.locator('[data-slider="d_k"]').fill('8');
  await page.locator('[data-toggle="scaled"]').uncheck();
  await page.locator('[data-slider="gain"]').fill('7');
  const link2 = await copyLink(page);
  const variance = await page.locator('[data-stat="variance"]').getAttribute('data-value');
  await other.goto(link2);
  await waitReady(other);
  assert.equal(await other.locator('[data-slider="d_k"]').inputValue(), '8');
  assert.equal(await other.locator('[data-slider="gain"]').inputValue(), '7');
  assert.equal(await other.locator('[data-toggle="scaled"]').isChecked(), false);
  assert.equal(await other.locator('[data-stat="variance"]').getAttribute('data-value'), variance);

  // Lesson 06: a mask cell flipped by hand travels with the link (the review found it dropped).
  await page.goto(site.base + '/lessons/masking/index.html');
  await waitReady(page);
  await page.click('[data-widget="mask-composer"] .mask-cell[data-row="2"][data-col="0"]');  // block "sat" from "the"
  const weights = () => page.$$eval('[data-heatmap="P"] .heat-cell', (cs) => cs.map((c) => c.dataset.value));
  const masked = await weights();
  const link3 = await copyLink(page);
  await other.goto('about:blank');
  await other.goto(link3);
  await waitReady(other);
  assert.equal(await other.locator('.mask-cell[data-row="2"][data-col="0"]').getAttribute('aria-pressed'), 'false');
  assert.deepEqual(await other.$$eval('[data-heatmap="P"] .heat-cell', (cs) => cs.map((c) => c.dataset.value)), masked);

  // A damaged link shows the defaults; the page works. (about:blank first: a new hash alone would not reload.)
  await other.goto('about:blank');
  await other.goto(site.base + L02 + '#state=%7Bnot-json');
  await waitReady(other);
  assert.equal(await other.locator('[data-slider="d_k"]').inputValue(), '6');
  await other.goto('about:blank');
  await other.goto(site.base + L02 + '#state=' + encodeURIComponent(JSON.stringify({ 'scaling.d_k': 'lots' })));
  await waitReady(other);
  assert.equal(await other.locator('[data-slider="d_k"]').inputValue(), '6');
  assert.deepEqual([...page.problems, ...other.problems], []);
  await page.context_.close();
  await other.context_.close();
});

test('every heatmap and chart exports as valid SVG and PNG, and matrices as CSV', async () => {
  const page = await freshPage();
  await page.goto(site.base + L01);
  await waitReady(page);
  const heat = page.locator('[data-heatmap="S"]');
  const values = await heat.locator('.heat-cell').evaluateAll((cs) => cs.map((c) => Number(c.dataset.value)));

  const svg = await saveDownload(page, () => heat.locator('[data-export="svg"]').click());
  assert.equal(svg.name, 'qkv_dot_product-S.svg');
  const text = svg.bytes.toString('utf8');
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName,
      rects: doc.querySelectorAll('rect').length, texts: [...doc.querySelectorAll('text')].map((x) => x.textContent) };
  }, text);
  assert.equal(parsed.error, null);
  assert.equal(parsed.root, 'svg');
  assert.ok(parsed.rects >= values.length, `${parsed.rects} rects for ${values.length} cells`);
  assert.ok(parsed.texts.includes('the') && parsed.texts.includes('down'), 'token labels are in the SVG');

  const png = await saveDownload(page, () => heat.locator('[data-export="png"]').click());
  assert.equal(png.name, 'qkv_dot_product-S.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.ok(png.bytes.readUInt32BE(16) > 100 && png.bytes.readUInt32BE(20) > 100, 'PNG size');

  const csv = await saveDownload(page, () => heat.locator('[data-export="csv"]').click());
  const rows = csv.bytes.toString('utf8').trim().split('\n').map((r) => r.split(','));
  assert.deepEqual(rows[0], ['', 'the', 'cat', 'sat', 'down']);
  assert.deepEqual(rows.slice(1).flatMap((r) => r.slice(1).map(Number)), values);

  const q = await saveDownload(page, () => page.locator('[data-matrix="Q"] [data-export="csv"]').click());
  const qPage = await page.locator('[data-matrix="Q"] [data-value]').evaluateAll((cs) => cs.map((c) => Number(c.dataset.value)));
  // Labelled like the heatmap's: a header of column numbers, and each row named by its token.
  const qRows = q.bytes.toString('utf8').trim().split('\n').map((r) => r.split(','));
  assert.deepEqual(qRows[0], ['', ...qRows[1].slice(1).map((_, j) => String(j))]);
  assert.deepEqual(qRows.slice(1).map((r) => r[0]), ['the', 'cat', 'sat', 'down']);
  assert.deepEqual(qRows.slice(1).flatMap((r) => r.slice(1).map(Number)), qPage);

  // A chart (lesson 02's histogram): SVG with the computed paint inlined, and a PNG.
  await page.goto(site.base + L02);
  await waitReady(page);
  const hist = page.locator('[data-chart="scores"]');
  const hsvg = (await saveDownload(page, () => hist.locator('[data-export="svg"]').click())).bytes.toString('utf8');
  const hparsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, bars: doc.querySelectorAll('rect.bar').length,
      fill: doc.querySelector('rect.bar')?.getAttribute('style') ?? '' };
  }, hsvg);
  assert.equal(hparsed.error, null);
  assert.ok(hparsed.bars >= 10);
  assert.match(hparsed.fill, /fill:rgb/);
  const hpng = await saveDownload(page, () => hist.locator('[data-export="png"]').click());
  assert.equal(hpng.bytes.subarray(1, 4).toString('latin1'), 'PNG');
  // The heatmap's table view: the same numbers as a table.
  await page.goto(site.base + L01);
  await waitReady(page);
  await heat.locator('[data-table-toggle]').click();
  const tableValues = await heat.locator('table td').evaluateAll((cs) => cs.map((c) => Number(c.dataset.value)));
  assert.deepEqual(tableValues, values);
  assert.equal(await heat.locator('.heat-grid').isVisible(), false);
  assert.deepEqual(page.problems, []);
  await page.context_.close();
});

test('presenter mode: the lesson as slides, one at a time, the arrow keys step through them', async () => {
  const page = await freshPage();
  await page.goto(site.base + L01);
  await waitReady(page);
  await page.keyboard.press('p');
  assert.equal(await page.evaluate(() => document.body.classList.contains('presenter')), true);
  assert.equal(await page.locator('.sidebar').isVisible(), false);
  assert.match(await page.locator('.slide-count').textContent(), /^1 \/ \d+$/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('.slide-count').textContent(), /^3 \//);
  // Only the slide's part is shown, under its section's heading.
  const shown = await page.evaluate(() => [...document.querySelectorAll('main.lesson > *')].filter((e) => e.getClientRects().length).length);
  assert.ok(shown <= 3, `${shown} parts of the lesson on one slide`);
  await page.keyboard.press('ArrowLeft');
  assert.match(await page.locator('.slide-count').textContent(), /^2 \//);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.body.classList.contains('presenter')), false);
  assert.equal(await page.locator('.slide-bar').count(), 0);
  await page.context_.close();
});

test('dark mode follows the system and the toggle, remembered; a phone-sized lesson fits its screen', async () => {
  const page = await freshPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true });
  await page.goto(site.base + L01);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(20, 22, 28)');
  // Nothing is wider than the phone: the page does not scroll sideways.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll');
  // The lessons are a drawer on a phone: one line, closed, that opens onto every lesson (44 px to tap).
  const drawer = page.locator('.lessons-drawer');
  assert.equal(await drawer.evaluate((d) => d.open), false);
  assert.ok((await drawer.locator('summary').boundingBox()).height >= 44);
  await drawer.locator('summary').click();
  const count = manifest.lessons.length;
  assert.equal(await drawer.locator('.lesson-nav a:visible').count(), count, 'every lesson listed');
  await page.locator('#widget-qkv-playground').scrollIntoViewIfNeeded();
  const shot = screenshotPath('lesson01-phone-dark');
  await page.screenshot({ path: shot });
  // The theme is set before the first paint (web/js/theme.js), not when site.js arrives: hold
  // site.js back and look at the page meanwhile.
  const early = await freshPage({ colorScheme: 'dark' });
  let release;
  const held = new Promise((r) => (release = r));
  await early.route('**/assets/js/site.js', async (route) => { await held; await route.continue(); });
  await early.goto(site.base + L01, { waitUntil: 'commit' });
  await early.waitForSelector('main h1', { state: 'attached' });
  assert.equal(await early.evaluate(() => document.querySelector('.site-tools')), null, 'site.js has not run yet');
  assert.equal(await early.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await early.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()), '#14161c');
  release();
  await waitReady(early);
  assert.deepEqual(early.problems, []);
  await early.context_.close();

  // The maps follow the theme: the cell nearest 0 is a dark tile in the dark theme (not a white one
  // on the dark page), and the toggle makes it light at once, with no redraw.
  const nearZero = () => page.evaluate(() => {
    const cells = [...document.querySelectorAll('.heat-cell:not(.nonfinite)')];
    const cell = cells.reduce((a, b) => (Math.abs(+b.dataset.value) < Math.abs(+a.dataset.value) ? b : a));
    const [r, g, b] = getComputedStyle(cell).backgroundColor.match(/\d+/g).map(Number);
    return { key: `${cell.closest('[data-heatmap]').dataset.heatmap} ${cell.dataset.row},${cell.dataset.col}`, light: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 };
  });
  const darkCell = await nearZero();
  assert.ok(darkCell.light < 0.3, `dark theme: ${darkCell.key} has lightness ${darkCell.light}`);

  // The toggle switches to light and remembers it.
  await page.click('[data-action="theme"]');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  const lightCell = await nearZero();
  assert.equal(lightCell.key, darkCell.key);
  assert.ok(lightCell.light > 0.85, `light theme: ${lightCell.key} has lightness ${lightCell.light}`);
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  assert.deepEqual(page.problems, []);
  await page.context_.close();
});

test('the class page puts learners\' files and the grade report in one grid, each result saying where it came from', async () => {
  const page = await freshPage();
  await page.goto(site.base + '/class.html');
  await page.waitForSelector('[data-class][data-ready="true"]');
  const dir = `${process.env.ATTN_SITE_DIR}/../class-files`;
  mkdirSync(dir, { recursive: true });
  const at = '2026-12-01T09:00:00Z';
  const progress = (name, exercises, sources, checks = {}) => ({ format: 'attention-lab-progress', version: 2, name,
    exported: at, visited: {}, checks, exercises, exercise_sources: sources });
  // Ada's file says her lesson 1 and lesson 6 pass (the page ran them); Ben ticked lesson 1; Eve is in no report.
  writeFileSync(`${dir}/attention-lab-progress-Ada.json`, JSON.stringify(progress('Ada', { qkv_dot_product: at, masking: at },
    { qkv_dot_product: 'page', masking: 'page' }, { 'qkv_dot_product.top-key': at })));
  writeFileSync(`${dir}/attention-lab-progress-ben.json`, JSON.stringify(progress('', { qkv_dot_product: at }, { qkv_dot_product: 'ticked' })));
  writeFileSync(`${dir}/attention-lab-progress-Eve.json`, JSON.stringify(progress('Eve', { softmax_scaling: at }, {})));
  // The report `attnlab grade` writes (its form is checked by tests/cli_exercises.test.mjs): the teacher's run says
  // Ben's lesson 1 fails, whatever his file says.
  const cell = (learner, lesson, state, passed, total, first) => ({ learner, lesson, number: 1, state, passed, total, first_message: first });
  writeFileSync(`${dir}/class-report.json`, JSON.stringify({ format: 'attention-lab-grades', version: 1, graded: at, class_dir: 'class',
    test_seconds: 30, build_seconds: 600, memory_mb: 2048, learners: ['ada', 'ben'], lessons: ['qkv_dot_product'],
    cells: [cell('ada', 'qkv_dot_product', 'passed', 9, 9, ''), cell('ben', 'qkv_dot_product', 'failed', 6, 9, 'scores: line 80: S(0, 1)')] }));
  writeFileSync(`${dir}/broken.json`, '{"format": "attention-lab-grades", "version": 1, "cells": [{"learner": "x", "lesson": "nosuch"}]}');
  await page.setInputFiles('[data-class-files]', ['attention-lab-progress-Ada.json', 'attention-lab-progress-ben.json',
    'attention-lab-progress-Eve.json', 'class-report.json', 'broken.json'].map((f) => `${dir}/${f}`));
  await page.waitForSelector('[data-class][data-learners="3"]');
  const at_ = (who, slug) => page.locator(`tr[data-learner="${who}"] td`).nth(manifest.lessons.findIndex((l) => l.slug === slug));
  assert.equal(await at_('Ada', 'qkv_dot_product').getAttribute('data-provenance'), 'graded');
  assert.equal(await at_('Ada', 'qkv_dot_product').getAttribute('data-state'), 'passed');
  assert.match(await at_('Ada', 'qkv_dot_product').innerText(), /passed 9\/9[\s\S]*graded[\s\S]*1 self-check/);
  assert.equal(await at_('Ada', 'masking').getAttribute('data-provenance'), 'passed here');
  assert.equal(await at_('ben', 'qkv_dot_product').getAttribute('data-provenance'), 'graded', 'the grade outranks the tick');
  assert.equal(await at_('ben', 'qkv_dot_product').getAttribute('data-state'), 'failed');
  assert.equal(await at_('ben', 'qkv_dot_product').getAttribute('title'), 'scores: line 80: S(0, 1)');
  assert.equal(await at_('Eve', 'softmax_scaling').getAttribute('data-provenance'), 'ticked', 'a file without sources is a tick');
  assert.equal(await at_('Eve', 'qkv_dot_product').getAttribute('data-provenance'), 'none');
  assert.match(await page.locator('.class-messages .bad').innerText(), /broken\.json was not imported: its cell 1 is not valid/);
  assert.equal(await page.locator('.class-messages .ok').count(), 4);
  await page.screenshot({ path: screenshotPath('class-page'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context_.close();
});
