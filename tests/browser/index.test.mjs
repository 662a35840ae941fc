// The index in headless Chromium: it lists every lesson of the manifest, each
// link opens a page, and nothing errors or leaves localhost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startServer } from '../../web/serve.mjs';
import { manifest, networkQuiet, newPage, openSite, screenshotPath } from './harness.mjs';

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
    await networkQuiet(page);  // let the module load: leaving mid-download aborts it
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
    await networkQuiet(page);  // let the module load: leaving mid-download aborts it
    assert.equal(await page.locator('h1').textContent(), lesson.title, folder);
  }
});

test('the server refuses paths outside the site and answers 404 for missing files', async () => {
  const outside = await fetch(site.base + '/..%2f..%2fCMakeLists.txt');
  assert.ok([403, 404].includes(outside.status), `status ${outside.status}`);
  assert.equal((await fetch(site.base + '/no-such-page.html')).status, 404);
});

test('the server answers an unchanged file\'s ETag with 304 and a changed file with its new bytes', async () => {
  // no-cache with an ETag: the browser asks on every load and reuses its copy (and the code it
  // compiled) while the file is the same; a rebuilt file is always fetched whole.
  const dir = mkdtempSync(join(tmpdir(), 'attn-serve-'));
  writeFileSync(join(dir, 'index.html'), '<p>one</p>');
  const server = await startServer(dir, { port: 0 });
  try {
    const url = `http://127.0.0.1:${server.address().port}/index.html`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    assert.match(etag ?? '', /^"[0-9a-z]+-[0-9a-z]+"$/);
    const again = await fetch(url, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assert.ok(again.headers.get('content-security-policy'), 'a 304 carries the CSP too');
    writeFileSync(join(dir, 'index.html'), '<p>two, longer</p>');
    const changed = await fetch(url, { headers: { 'If-None-Match': etag } });
    assert.equal(changed.status, 200);
    assert.equal(await changed.text(), '<p>two, longer</p>');
    assert.notEqual(changed.headers.get('etag'), etag);
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no console errors, page errors or off-site requests', async () => {
  // A page of its own: the tests above leave pages mid-load, and a download a navigation cuts
  // short (favicon, checks.wasm) is that navigation's doing, not the index's.
  const fresh = await newPage(site);
  await fresh.goto(site.base + '/');
  await networkQuiet(fresh);
  const shot = screenshotPath('index');
  mkdirSync(dirname(shot), { recursive: true });
  await fresh.screenshot({ path: shot, fullPage: true });
  assert.deepEqual(fresh.problems, []);
  await fresh.close();
  // The pages visited above: nothing but the downloads their leaving cut short.
  const cutShort = /net::ERR_ABORTED|wasm streaming compile failed: .*aborted|falling back to ArrayBuffer instantiation/;
  assert.deepEqual(page.problems.filter((p) => !cutShort.test(p)), []);
});
