// The whole site's security in headless Chromium, page by page: a Content-Security-Policy that
// allows only this origin (no inline script, no eval), no request that leaves the local server, no
// CSP violation, and lesson modules whose every exported function answers bad input with
// {ok: false, error} instead of throwing, after which the module still computes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAGES, manifest, networkQuiet, newPage, siteFixture } from './harness.mjs';

const site = siteFixture();

/** Directive name -> list of sources, from a CSP header. */
function parseCsp(header) {
  const out = {};
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name] = sources;
  }
  return out;
}

test('every page is served with a CSP of this origin only: no inline script, no eval, no other host', async () => {
  for (const path of PAGES) {
    const res = await fetch(site.base + path);
    assert.equal(res.status, 200, path);
    const header = res.headers.get('content-security-policy');
    assert.ok(header, `${path}: no Content-Security-Policy header`);
    const csp = parseCsp(header);
    assert.deepEqual(csp['default-src'], ["'self'"], path);
    assert.deepEqual(csp['script-src'], ["'self'", "'wasm-unsafe-eval'"], `${path}: script-src`);
    assert.deepEqual(csp['connect-src'], ["'self'"], path);
    assert.deepEqual(csp['object-src'], ["'none'"], path);
    assert.doesNotMatch(header, /(^|\s)'unsafe-eval'|https?:|\*/, `${path}: ${header}`);
    // No inline script to need an exception: every <script> has a src on this site.
    const html = await res.text();
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\ssrc="[^":]+"/, `${path}: ${tag}`);
    assert.doesNotMatch(html, /\son[a-z]+="/, `${path}: an inline event handler`);
  }
});

test('every page loads with no off-site request, no CSP violation and no error, and refuses inline script', async () => {
  const page = await newPage(site);
  await page.addInitScript(() => {  // on every page this tab opens
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  for (const path of PAGES) {
    page.problems = [];
    await page.goto(site.base + path);
    await networkQuiet(page);
    // Every widget's module loaded and ran (data-ready), so the wasm glue worked without eval.
    const widgets = await page.locator('[data-widget]').count();
    if (widgets > 0)
      await page.waitForFunction(() => [...document.querySelectorAll('[data-widget]')]
        .every((w) => w.dataset.ready === 'true'), null, { timeout: 20000 });
    // An inline script added to the page must not run (and reports a violation we expect).
    const inlineRan = await page.evaluate(() => new Promise((resolve) => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      setTimeout(() => resolve(window.__inlineRan === true), 50);
    }));
    assert.equal(inlineRan, false, `${path}: an inline script ran`);
    const violations = (await page.evaluate(() => window.__violations))
      .filter((v) => !/^script-src(-elem)?: inline$/.test(v));  // the probe above, refused as it should be
    assert.deepEqual(violations, [], `${path}: CSP violations`);
    assert.deepEqual(page.problems.filter((p) => !/Executing inline script violates/.test(p)), [], path);
  }
  await page.close();
});

test('every exported function of every lesson module answers garbage with {ok: false, error}, and keeps working', async () => {
  const page = await newPage(site);
  // Every lesson's module, and the self-checks' and explanations' modules every page shares.
  const modules = [...manifest.lessons.map((l) => ({ page: `/lessons/${l.slug}/index.html`, module: './lesson.mjs', id: l.slug })),
    { page: '/index.html', module: './assets/checks/checks.mjs', id: 'checks.mjs' },
    { page: '/index.html', module: './assets/explain/explain.mjs', id: 'explain.mjs' }];
  for (const lesson of modules) {
    await page.goto(site.base + lesson.page);
    await networkQuiet(page);  // leaving a page mid-download aborts its modules
    const report = await page.evaluate(async (url) => {
      const { default: create } = await import(url);
      const mod = await create();
      const exported = Object.keys(mod).filter((k) => typeof mod[k] === 'function' && Number.isInteger(mod[k].argCount));
      const garbage = [undefined, null, NaN, Infinity, -1, 1e12, 0.5, '', 'seven', {}, [], [[]], [[1, 2], [3]],
        [[NaN]], [['x']], true];
      const problems = [];
      const outcomes = {};
      for (const name of exported) {
        const fn = mod[name];
        for (const [gi, g] of garbage.entries()) {
          const args = Array.from({ length: fn.argCount }, () => g);
          let r;
          try {
            r = fn(...args);
          } catch (e) {
            problems.push(`${name}(${String(g)} ×${fn.argCount}) threw ${e.name}: ${e.message}`);
            continue;
          }
          if (r === undefined || r === null || typeof r !== 'object' || typeof r.ok !== 'boolean')
            problems.push(`${name}(${String(g)}): returned ${JSON.stringify(r)}, not {ok, ...}`);
          else if (!r.ok && !(typeof r.error === 'string' && r.error.length > 5))
            problems.push(`${name}(${String(g)}): ok: false without a message`);
          outcomes[`${name}/${gi}`] = r?.ok ? 'ok' : r?.error;
        }
      }
      // The module is not left broken: the same calls give the same answers again.
      for (const name of exported)
        for (const [gi, g] of garbage.entries()) {
          const key = `${name}/${gi}`;
          if (!(key in outcomes)) continue;
          const r = mod[name](...Array.from({ length: mod[name].argCount }, () => g));
          const again = r?.ok ? 'ok' : r?.error;
          if (again !== outcomes[key])
            problems.push(`${name}(${String(g)}): '${outcomes[key]}' the first time, '${again}' the second`);
        }
      return { exported, problems };
    }, lesson.module);
    assert.ok(report.exported.length > 0, `${lesson.id}: no exported functions found`);
    assert.deepEqual(report.problems, [], `${lesson.id} (${report.exported.join(', ')})`);
  }
  assert.deepEqual(page.problems, []);
});
