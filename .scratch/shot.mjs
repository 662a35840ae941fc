import { chromium } from 'playwright-core';
import { startServer } from '/tmp/fresh/web/serve.mjs';
const server = await startServer('/tmp/fresh/build/wasm/site', { port: 0 });
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const jobs = JSON.parse(process.argv[2]);
for (const j of jobs) {
  const ctx = await browser.newContext({ viewport: j.viewport ?? { width: 1280, height: 900 }, colorScheme: j.scheme ?? 'light' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error', m.text()); });
  if (j.progress) { await page.goto(base + '/index.html'); await page.evaluate((p) => localStorage.setItem('attnlab.progress', JSON.stringify(p)), j.progress); }
  await page.goto(base + j.path);
  await page.waitForTimeout(j.wait ?? 1500);
  if (j.scroll) await page.locator(j.scroll).first().scrollIntoViewIfNeeded();
  if (j.click) for (const c of j.click) { await page.click(c); await page.waitForTimeout(300); }
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/shots/${j.name}.png`, fullPage: !!j.full });
  await ctx.close();
}
await browser.close(); server.close();
