// tests/browser/harness.mjs — what every page test shares.
//
// Serves the built site (ATTN_SITE_DIR) on a free localhost port, launches
// Debian's Chromium headless through playwright-core, and records every console
// error, page error and failed or off-site request, so that a test can assert
// that a page loaded cleanly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

export const CHROMIUM = process.env.ATTN_CHROMIUM ?? '/usr/bin/chromium';

export async function openSite() {
  const site = process.env.ATTN_SITE_DIR;
  if (!site) throw new Error('set ATTN_SITE_DIR to the built site (ctest does)');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  const server = await startServer(site, { port: 0 });
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
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A new page that records problems in page.problems. */
export async function newPage(site, viewport = { width: 1280, height: 900 }) {
  const page = await site.browser.newPage({ viewport });
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') page.problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => page.problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('request', (req) => {
    if (!req.url().startsWith(site.base) && !req.url().startsWith('data:') && !req.url().startsWith('blob:'))
      page.problems.push(`off-site request: ${req.url()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) page.problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return page;
}

/** The native build's numbers for lesson N's example (attnlab example N --json). */
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
