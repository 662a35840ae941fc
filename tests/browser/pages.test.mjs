// Every lesson page as a learner sees it, in headless Chromium: each map explains its cells, the
// first widget comes early, nothing is wider than its box at phone and desktop widths, no matrix box
// cuts off its number, and the transformer diagram highlights what the lesson builds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LESSON_PAGES, PAGES, manifest, newPage, siteFixture, widgetsReady } from './harness.mjs';

const site = siteFixture();

test('every map explains its cells, with the number the cell shows, on every page', async () => {
  const page = await newPage(site);
  let explained = 0;
  for (const path of LESSON_PAGES) {
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
  for (const path of LESSON_PAGES) {
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
  for (const path of LESSON_PAGES) {
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

test('the transformer diagram is on the index and on every lesson, with the parts that lesson builds highlighted', async () => {
  const page = await newPage(site);
  for (const path of ['/index.html', ...LESSON_PAGES]) {
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
