// tests/browser/harness.mjs — what every page test shares.
//
// Serves the built site (ATTN_SITE_DIR) on a free localhost port, launches
// Debian's Chromium headless through playwright-core, and records every console
// error, page error and failed or off-site request, so that a test can assert
// that a page loaded cleanly. A lesson's own test (lessons/<slug>/page.test.mjs)
// needs only its assertions:
//
//   const L = lessonPage('scaled_dot_product');   // opens the page, waits for every widget
//   let page, native;
//   before(async () => ({ page, native } = await L.ready));
//   test('…', async () => { … page … native … });
//   endsClean(L);                                  // screenshot, and no console error or off-site request
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

/** The lesson manifest, each lesson's page, and every page of the site (the four shared pages first). */
export const manifest = JSON.parse(readFileSync(new URL('../../lessons/lessons.json', import.meta.url), 'utf8'));
export const LESSON_PAGES = manifest.lessons.map((l) => `/lessons/${l.slug}/index.html`);
export const PAGES = ['/index.html', '/worksheets.html', '/answers.html', '/class.html', ...LESSON_PAGES];

export const CHROMIUM = process.env.ATTN_CHROMIUM ?? '/usr/bin/chromium';

/** Serves the site (with `options.exercises`, the exercise API too: web/exercise-server.mjs) and launches Chromium. */
export async function openSite(options = {}) {
  const site = process.env.ATTN_SITE_DIR;
  if (!site) throw new Error('set ATTN_SITE_DIR to the built site (ctest does)');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  const server = await startServer(site, { port: 0, ...options });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  return {
    base,
    browser,
    server,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * A whole-site test file's fixture: before its tests, serve the site and launch Chromium; after
 * them, close both. Returns the live site ({base, browser, ...}), filled in once the hook has run.
 */
export function siteFixture(options = {}) {
  const site = {};
  before(async () => Object.assign(site, await openSite(options)));
  after(async () => site.close?.());
  return site;
}

/**
 * A new page, in a context of its own (with `options`, e.g. a colorScheme), that records problems
 * in page.problems.
 */
export async function newPage(site, viewport = { width: 1280, height: 900 }, options = {}) {
  const page = await site.browser.newPage({ viewport, ...options });
  page.problems = [];
  // What the page is still fetching: a test that leaves a page mid-fetch aborts it, and an aborted
  // wasm makes the browser warn, so widgetsReady() also waits for this to empty.
  page.inflight = new Set();
  page.on('request', (req) => page.inflight.add(req));
  for (const done of ['requestfinished', 'requestfailed']) page.on(done, (req) => page.inflight.delete(req));
  // A navigation drops what the page it leaves was fetching, not always with a requestfailed event.
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) for (const req of page.inflight) if (!req.isNavigationRequest()) page.inflight.delete(req);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') page.problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  // ERR_ABORTED is the browser cancelling a request because the test moved on (the favicon, fetched
  // after load, is the usual one); a missing or failing file still shows as its HTTP status below.
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') page.problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on('request', (req) => {
    if (!req.url().startsWith(site.base) && !req.url().startsWith('data:') && !req.url().startsWith('blob:'))
      page.problems.push(`off-site request: ${req.url()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) page.problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return page;
}

/** The native build's numbers for a lesson's example (attnlab example <slug> --json). */
export function nativeExample(lesson) {
  const attnlab = process.env.ATTNLAB;
  if (!attnlab || !existsSync(attnlab))
    throw new Error(`ATTNLAB (${attnlab}) is not the native attnlab: build the native preset first`);
  return JSON.parse(execFileSync(attnlab, ['example', String(lesson), '--json'], { encoding: 'utf8' }));
}

/** Every data-value in a container, as a matrix of numbers (by data-row, data-col). */
export async function readMatrix(page, selector) {
  return page.$$eval(`${selector} [data-value][data-row]`, (cells) => {
    const rows = [];
    for (const c of cells) {
      const i = Number(c.dataset.row), j = Number(c.dataset.col);
      (rows[i] ??= [])[j] = Number(c.dataset.value);
    }
    return rows;
  });
}

/** What a matrix editor's boxes hold, as a matrix of numbers (by data-row, data-col): what the page computes from. */
export async function readEditor(page, selector) {
  return page.$$eval(`${selector} input[data-row]`, (inputs) => {
    const rows = [];
    for (const x of inputs) (rows[Number(x.dataset.row)] ??= [])[Number(x.dataset.col)] = Number(x.value);
    return rows;
  });
}

/** Asserts that a page's matrix has the native one's rows and equals it within tol, cell by cell. */
export function assertMatrixNear(page, native, what, tol = 1e-6) {
  assert.equal(page.length, native.length, `${what} rows`);
  page.forEach((row, i) => row.forEach((v, j) =>
    assert.ok(Math.abs(v - native[i][j]) <= tol, `${what}(${i}, ${j}): page ${v}, native ${native[i][j]}`)));
}

/** Screenshots go next to the site, for people to look at: <site>/../screenshots. */
export function screenshotPath(name) {
  return `${process.env.ATTN_SITE_DIR}/../screenshots/${name}.png`;
}

/**
 * Resolves once every widget on the page, and the self-checks, have started (data-ready) or shown
 * why they could not, and nothing is still being fetched (so moving on aborts no wasm mid-compile).
 */
export async function widgetsReady(page, timeout = 15000) {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-widget], [data-selfchecks]')]
    .every((w) => w.dataset.ready === 'true' || w.querySelector('.error-banner:not([hidden])')), null, { timeout });
  await networkQuiet(page, 0, timeout);
}

/**
 * Resolves once nothing has been fetched for `quietMs`: what a page asks for after its load (the
 * explanations' module, the favicon) has arrived. Playwright's 'networkidle' is the same with a
 * fixed 500 ms, which a test that visits every page pays on each.
 */
export async function networkQuiet(page, quietMs = 150, timeout = 15000) {
  const until = Date.now() + timeout;
  let quietSince = Date.now();
  for (;;) {
    if (page.inflight?.size) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    if (Date.now() > until) throw new Error(`still fetching after ${timeout} ms: ${[...page.inflight].map((r) => r.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves once a lesson page's self-checks have started and any shared link's state is restored. */
export async function selfchecksReady(page) {
  await page.waitForSelector('[data-selfchecks][data-ready="true"]', { timeout: 20000 });
  await page.waitForSelector('body[data-state-restored="true"]', { timeout: 20000 });
}

/**
 * A lesson page's test fixture: before the tests, serve the site, open lessons/<slug>/, wait for
 * its widgets and read the native build's example; after them, close it all. Returns the live
 * context {site, page, native, slug}; its fields are set once the before hook has run.
 */
export function lessonPage(slug, { viewport } = {}) {
  let opened;
  const ctx = { slug, site: null, page: null, native: null, ready: new Promise((resolve) => (opened = resolve)) };
  before(async () => {
    ctx.native = nativeExample(slug);
    ctx.site = await openSite();
    ctx.page = await newPage(ctx.site, viewport);
    await ctx.page.goto(`${ctx.site.base}/lessons/${slug}/index.html`);
    await widgetsReady(ctx.page);
    opened(ctx);
  });
  after(async () => ctx.site?.close());
  return ctx;
}

/** The last test of a page's file: a screenshot to look at, and no problem recorded. */
export function endsClean(ctx, name = ctx.slug) {
  test('no console errors, page errors or off-site requests', async () => {
    const shot = screenshotPath(name);
    mkdirSync(dirname(shot), { recursive: true });
    await ctx.page.screenshot({ path: shot, fullPage: true });
    assert.deepEqual(ctx.page.problems, []);
  });
}
