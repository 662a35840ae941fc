// The index in headless Chromium: it lists every lesson of the manifest, each
// link opens a page, and nothing errors or leaves localhost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { manifest, newPage, openSite, screenshotPath } from './harness.mjs';

let site, page;

before(async () => {
  site = await openSite();
  page = await newPage(site);
  await page.goto(site.base + '/');
});
after(async () => site?.close());

test('the index lists the manifest\'s lessons, in order', async () => {
  const titles = await page.locator('.card-title').allTextContents();
  assert.deepEqual(titles, manifest.lessons.map((l) => l.title));
});

test('every lesson link opens its page with the same title', async () => {
  for (const lesson of manifest.lessons) {
    await page.goto(site.base + '/');
    await page.locator(`.card[data-lesson="${lesson.slug}"] a`).click();
    await page.waitForLoadState('networkidle');  // let the module load: leaving mid-download aborts it
    assert.equal(await page.locator('h1').textContent(), lesson.title);
    assert.equal(await page.locator('.lesson-nav .current .title').textContent(), lesson.title);
  }
});

test('every URL a lesson had before redirects to its page', async () => {
  const old = manifest.lessons.flatMap((l) => (l.formerly ?? []).map((f) => [f, l]));
  assert.ok(old.length > 0, 'the lessons of the numbered layout have their former URLs');
  for (const [folder, lesson] of old) {
    await page.goto(`${site.base}/lessons/${folder}/index.html`);
    await page.waitForURL(`**/lessons/${lesson.slug}/index.html`);
    await page.waitForLoadState('networkidle');  // let the module load: leaving mid-download aborts it
    assert.equal(await page.locator('h1').textContent(), lesson.title, folder);
  }
});

test('the server refuses paths outside the site and answers 404 for missing files', async () => {
  const outside = await fetch(site.base + '/..%2f..%2fCMakeLists.txt');
  assert.ok([403, 404].includes(outside.status), `status ${outside.status}`);
  assert.equal((await fetch(site.base + '/no-such-page.html')).status, 404);
});

test('no console errors, page errors or off-site requests', async () => {
  // A page of its own: the tests above leave pages mid-load, and a download a navigation cuts
  // short (favicon, checks.wasm) is that navigation's doing, not the index's.
  const fresh = await newPage(site);
  await fresh.goto(site.base + '/');
  await fresh.waitForLoadState('networkidle');
  const shot = screenshotPath('index');
  mkdirSync(dirname(shot), { recursive: true });
  await fresh.screenshot({ path: shot, fullPage: true });
  assert.deepEqual(fresh.problems, []);
  await fresh.close();
  // The pages visited above: nothing but the downloads their leaving cut short.
  const cutShort = /net::ERR_ABORTED|wasm streaming compile failed: .*aborted|falling back to ArrayBuffer instantiation/;
  assert.deepEqual(page.problems.filter((p) => !cutShort.test(p)), []);
});
