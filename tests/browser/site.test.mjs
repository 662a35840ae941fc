// The whole site in headless Chromium, page by page: a Content-Security-Policy
// that allows only this origin (no inline script, no eval), no request that
// leaves the local server, no CSP violation, and lesson modules whose every
// exported function answers bad input with {ok: false, error} instead of
// throwing, after which the module still computes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { newPage, openSite, widgetsReady } from './harness.mjs';

const manifest = JSON.parse(readFileSync(new URL('../../lessons/lessons.json', import.meta.url), 'utf8'));
const PAGES = ['/index.html', '/worksheets.html', '/answers.html', '/class.html', ...manifest.lessons.map((l) => `/lessons/${l.slug}/index.html`)];
let site;

before(async () => {
  site = await openSite();
});
after(async () => site?.close());

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
  for (const path of PAGES) {
    const page = await newPage(site);
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    await page.goto(site.base + path);
    await page.waitForLoadState('networkidle');
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
    await page.close();
  }
});

test('every exported function of every lesson module answers garbage with {ok: false, error}, and keeps working', async () => {
  const page = await newPage(site);
  // Every lesson's module, and the self-checks' and explanations' modules every page shares.
  const modules = [...manifest.lessons.map((l) => ({ page: `/lessons/${l.slug}/index.html`, module: './lesson.mjs', id: l.slug })),
    { page: '/index.html', module: './assets/checks/checks.mjs', id: 'checks.mjs' },
    { page: '/index.html', module: './assets/explain/explain.mjs', id: 'explain.mjs' }];
  for (const lesson of modules) {
    await page.goto(site.base + lesson.page);
    await page.waitForLoadState('networkidle');  // leaving a page mid-download aborts its modules
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

test('every map explains its cells, with the number the cell shows, on every page', async () => {
  const page = await newPage(site);
  let explained = 0;
  for (const path of PAGES.filter((p) => p.startsWith('/lessons/'))) {
    await page.goto(site.base + path);
    await widgetsReady(page);
    const silent = await page.locator('[data-heatmap]:not(:has(.explain-slot:not([hidden])))').evaluateAll((m) => m.map((e) => e.dataset.heatmap));
    assert.deepEqual(silent, [], `${path}: maps that explain nothing`);
    const maps = page.locator('[data-heatmap]');
    for (let k = 0; k < await maps.count(); ++k) {
      const map = maps.nth(k), cells = map.locator('.heat-cell');
      const n = await cells.count();
      for (const c of [0, n - 1, Math.floor(n / 2)]) {  // the first cell, the last and one between
        const cell = cells.nth(c);
        await cell.focus();  // as a keyboard user does; lesson 01's test hovers and taps
        const want = await cell.getAttribute('data-value');
        const row = await cell.getAttribute('data-row'), col = await cell.getAttribute('data-col');
        await map.locator(`.explain strong[data-value="${want}"]`).waitFor({ timeout: 15000 }).catch(async () => {
          throw new Error(`${path} ${await map.getAttribute('data-heatmap')}: hovering (${row}, ${col}) = ${want} explained nothing that ends on it`);
        });
        ++explained;
      }
    }
  }
  assert.ok(explained >= 15, `only ${explained} cells explained`);
  assert.deepEqual(page.problems, []);
});

test('every lesson opens with its widget: the first starts within a screen and a half at 1280×900', async () => {
  const page = await newPage(site);
  for (const path of PAGES.filter((p) => p.startsWith('/lessons/'))) {
    await page.goto(site.base + path);
    // Measured once the widgets have drawn (their height is then final), and never leaving a page
    // mid-load: a navigation that aborts the wasm's streaming compile makes the browser warn.
    await widgetsReady(page);
    const top = await page.evaluate(() => document.querySelector('[data-widget]').getBoundingClientRect().top + scrollY);
    assert.ok(top <= 1.5 * 900, `${path}: the first widget starts at ${Math.round(top)} px`);
    // The worked example is there, folded: the walkthrough's output on demand.
    assert.equal(await page.locator('details.walkthrough:not([open]) pre').count(), 1, `${path}: one folded walkthrough`);
  }
  assert.deepEqual(page.problems, []);
});

test('no element is wider than its container on any page, at 390 and at 1280 px, with every animation at its end', async () => {
  // A box may scroll what is wider than it (a big matrix in its card); nothing else may stick out of
  // its box or widen the page. Visually hidden text (the skip link, KaTeX's MathML) does not count.
  const page = await newPage(site);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of PAGES) {
      await page.goto(site.base + path);
      await widgetsReady(page);
      for (const end of await page.locator('[data-stepper] [data-action="end"]').all()) await end.click();
      await page.waitForLoadState('networkidle');  // a last frame may ask for the explanations' module
      const wider = await page.evaluate(() => {
        const out = [], vw = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > vw) out.push(`the page is ${document.documentElement.scrollWidth} px wide`);
        for (const e of document.body.querySelectorAll('*')) {
          if ((e.closest('svg') && e.tagName !== 'svg') || e.closest('.katex-mathml, .skip')) continue;
          const r = e.getBoundingClientRect();
          if (!r.width || getComputedStyle(e).display === 'none') continue;
          let box = e.parentElement;
          while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
          if (box && box !== document.body && /auto|scroll/.test(getComputedStyle(box).overflowX)) continue;
          const b = box && box !== document.body ? box.getBoundingClientRect() : { left: 0, right: vw };
          if (r.right > b.right + 1 || r.left < b.left - 1)
            out.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} spans ${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(b.left)}–${Math.round(b.right)}`);
        }
        return out;
      });
      assert.deepEqual(wider, [], `${path} at ${width} px`);
    }
  }
  assert.deepEqual(page.problems, []);
});

test('no matrix box cuts off the number it holds, on any page', async () => {
  const page = await newPage(site);
  let boxes = 0;
  for (const path of PAGES.filter((p) => p.startsWith('/lessons/'))) {
    await page.goto(site.base + path);
    await widgetsReady(page);
    await page.evaluate(() => document.querySelectorAll('[data-widget] details').forEach((d) => { d.open = true; }));
    const [count, cut] = await page.evaluate(() => {
      const all = [...document.querySelectorAll('[data-matrix] input')];
      return [all.length, all.filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => `${i.getAttribute('aria-label')} = ${i.value}`)];
    });
    assert.deepEqual(cut, [], `${path}: boxes too narrow for their numbers`);
    boxes += count;
  }
  assert.ok(boxes > 150, `only ${boxes} boxes found`);
  assert.deepEqual(page.problems, []);
});

test('every number a learner can type is checked: beyond float32, or overflowing on the way, is named and never NaN', async () => {
  // 1e39, -1e39 and 3.5e38 are past float32 (±3.4e38): refused with a message naming the cell.
  // 1e20 fits, but its products overflow in some pages: refused there, naming the entry, or computed.
  // Either way no NaN appears (lesson 02's naive softmax shows its NaN on purpose), nor an ∞ in a
  // matrix or map, and putting the number back clears the message.
  const page = await newPage(site);
  const nan = () => page.evaluate(() => [...document.querySelectorAll('[data-widget] *')]
    .filter((e) => !e.closest('[data-chart="naive"], [data-stat="naive"], .error-banner, input'))
    .filter((e) => (['DD', 'TD', 'STRONG', 'text'].includes(e.tagName) && /NaN/.test(e.textContent)) || e.dataset.value === 'NaN'
      || (e.closest('[data-matrix], [data-heatmap]') && /^-?Infinity$/.test(e.dataset.value ?? '') && !e.classList.contains('blocked')))
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.dataset.value ?? e.textContent}`));
  let inputs = 0;
  for (const path of PAGES.filter((p) => p.startsWith('/lessons/'))) {
    await page.goto(site.base + path);
    await widgetsReady(page);
    await page.evaluate(() => document.querySelectorAll('[data-widget] details').forEach((d) => { d.open = true; }));
    // Every box that takes a number (a text for the course's model, .text-input, takes any text).
    for (const input of await page.locator('[data-widget] input:not([type=range]):not([type=checkbox]):not([type=radio]):not(.text-input)').all()) {
      if (!(await input.isEditable())) continue;
      const [matrix, row, col, label, widget] = await input.evaluate((x) => [x.closest('[data-matrix]')?.dataset.matrix, x.dataset.row, x.dataset.col,
        x.getAttribute('aria-label'), x.closest('[data-widget]').dataset.widget]);
      const cell = matrix ? `${matrix}(${Number(row) + 1}, ${Number(col) + 1})` : label;
      const banner = page.locator(`[data-widget="${widget}"] .error-banner`);
      const old = await input.inputValue();
      for (const v of ['1e39', '-1e39', '3.5e38', '1e20']) {
        await input.fill(v);
        await input.press('Enter');
        if (v !== '1e20') {
          await banner.waitFor();
          const text = await banner.textContent();
          assert.ok(text.includes(cell) || (label && text.toLowerCase().includes(label.split(' ').pop().toLowerCase())), `${path}: ${v} in ${cell}: ${text}`);
        }
        assert.deepEqual(await nan(), [], `${path}: ${v} in ${cell}`);
      }
      await input.fill(old);
      await input.press('Enter');
      assert.ok(await banner.isHidden(), `${path}: ${cell} restored clears the message`);
      ++inputs;
    }
  }
  assert.ok(inputs > 150, `only ${inputs} numeric inputs found`);
  assert.deepEqual(page.problems, []);
});

test('the transformer diagram is on the index and on every lesson, with the parts that lesson builds highlighted', async () => {
  const page = await newPage(site);
  for (const path of ['/index.html', ...PAGES.filter((p) => p.startsWith('/lessons/'))]) {
    await page.goto(site.base + path);
    await widgetsReady(page);  // leaving a page mid-load aborts its wasm, and the browser warns
    const lesson = manifest.lessons.find((l) => path === `/lessons/${l.slug}/index.html`);
    const wide = page.locator('[data-diagram="transformer"] svg.diagram-wide');
    assert.equal(await wide.count(), 1, `${path}: one diagram`);
    assert.ok(await wide.isVisible(), `${path}: the wide layout shows at 1280 px`);
    const built = await wide.locator('.built').evaluateAll((nodes) => nodes.map((n) => n.dataset.part));
    assert.deepEqual(built.sort(), [...(lesson?.parts ?? [])].sort(), `${path}: highlighted parts`);
    // Every part a lesson builds links to the first lesson that lists it, and says so aloud.
    for (const a of await wide.locator('a.part').all()) {
      const part = await a.getAttribute('data-part');
      const first = manifest.lessons.find((l) => l.parts.includes(part));
      assert.ok((await a.getAttribute('href')).endsWith(`${first.slug}/index.html`), `${path}: ${part} links to ${first.slug}`);
      assert.match(await a.locator('title').textContent(), new RegExp(`lesson ${manifest.lessons.indexOf(first) + 1}, `));
    }
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(site.base + '/lessons/tiled/index.html');
  await widgetsReady(page);
  assert.ok(await page.locator('svg.diagram-narrow').isVisible(), 'the phone layout at 390 px');
  assert.ok(await page.locator('svg.diagram-wide').isHidden());
  assert.deepEqual(page.problems, []);
});
