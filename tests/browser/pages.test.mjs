// Every lesson page as a learner sees it, in headless Chromium: each map explains its cells, the
// first widget comes early, nothing is wider than its box at phone and desktop widths, no matrix box
// cuts off its number, and the transformer diagram highlights what the lesson builds.
//
// Loading a page is most of what a check of it costs, so the hook below visits each page once at
// each width and runs every check there, in an order where none hides what a later one looks for
// (the first widget's place before anything opens; the widths with every animation at its end and
// the maps' explanations showing; the matrix boxes last, with every fold open). Each test then
// reports its own check's findings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PAGES, manifest, networkQuiet, newPage, openSite, widgetsReady } from './harness.mjs';

let site;
const found = { maps: [], opens: [], wider: [], cut: [], diagram: [] };  // per check, what it found wrong
const counts = { explained: 0, boxes: 0, pages: 0, widths: 0 };
let problems = [];

/** Runs one check of a page; an exception it throws is a finding of that check, not the end of the run. */
async function check(name, fn) {
  try {
    await fn();
  } catch (e) {
    found[name].push(e.message);
  }
}

/** Every map explains its cells: focusing the first, the last and a middle cell shows the number it holds. */
async function mapsExplain(page, path) {
  const silent = await page.locator('[data-heatmap]:not(:has(.explain-slot:not([hidden])))').evaluateAll((m) => m.map((e) => e.dataset.heatmap));
  assert.deepEqual(silent, [], `${path}: maps that explain nothing`);
  // The mouse rests where the last page's click left it; over a cell of this page, a hover there
  // would explain that cell instead of the focused one.
  await page.mouse.move(0, 0);
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
      ++counts.explained;
    }
  }
}

/** The first widget starts within a screen and a half, and the worked example is there, folded. */
async function opensWithWidget(page, path) {
  const top = await page.evaluate(() => document.querySelector('[data-widget]').getBoundingClientRect().top + scrollY);
  assert.ok(top <= 1.5 * 900, `${path}: the first widget starts at ${Math.round(top)} px`);
  assert.equal(await page.locator('details.walkthrough:not([open]) pre').count(), 1, `${path}: one folded walkthrough`);
}

/** The transformer diagram, wide at 1280 px, highlights the parts the lesson builds, each linking to its lesson. */
async function diagram(page, path) {
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

/**
 * Nothing sticks out of its box or widens the page, with every animation at its end. A box may
 * scroll what is wider than it (a big matrix in its card); visually hidden text (the skip link,
 * KaTeX's MathML) does not count.
 */
async function noneWider(page, path, width) {
  for (const end of await page.locator('[data-stepper] [data-action="end"]').all()) await end.click();
  await networkQuiet(page);  // a last frame may ask for the explanations' module
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
  ++counts.widths;
}

/** With every fold open, no matrix box is too narrow for the number it holds. */
async function boxesWide(page, path) {
  await page.evaluate(() => document.querySelectorAll('[data-widget] details').forEach((d) => { d.open = true; }));
  const [count, cut] = await page.evaluate(() => {
    const all = [...document.querySelectorAll('[data-matrix] input')];
    return [all.length, all.filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => `${i.getAttribute('aria-label')} = ${i.value}`)];
  });
  assert.deepEqual(cut, [], `${path}: boxes too narrow for their numbers`);
  counts.boxes += count;
}

before(async () => {
  site = await openSite();
  const page = await newPage(site);
  for (const path of PAGES) {  // at 1280 px
    await page.goto(site.base + path);
    await widgetsReady(page);  // never leaving a page mid-load: an aborted wasm compile makes the browser warn
    const lesson = path.startsWith('/lessons/');
    if (lesson) await check('opens', () => opensWithWidget(page, path));
    if (lesson || path === '/index.html') await check('diagram', () => diagram(page, path));
    if (lesson) await check('maps', () => mapsExplain(page, path));
    await check('wider', () => noneWider(page, path, 1280));
    if (lesson) await check('cut', () => boxesWide(page, path));
    ++counts.pages;
  }
  await page.setViewportSize({ width: 390, height: 900 });
  for (const path of PAGES) {
    await page.goto(site.base + path);
    await widgetsReady(page);
    await check('wider', () => noneWider(page, path, 390));
    if (path === '/lessons/tiled/index.html')
      await check('diagram', async () => {
        assert.ok(await page.locator('svg.diagram-narrow').isVisible(), 'the phone layout at 390 px');
        assert.ok(await page.locator('svg.diagram-wide').isHidden());
      });
  }
  problems = page.problems;
});
after(async () => site?.close());

test('every map explains its cells, with the number the cell shows, on every page', () => {
  assert.deepEqual(found.maps, []);
  assert.ok(counts.explained >= 15, `only ${counts.explained} cells explained`);
});

test('every lesson opens with its widget: the first starts within a screen and a half at 1280×900', () => {
  assert.equal(counts.pages, PAGES.length);
  assert.deepEqual(found.opens, []);
});

test('no element is wider than its container on any page, at 390 and at 1280 px, with every animation at its end', () => {
  assert.deepEqual(found.wider, []);
  assert.equal(counts.widths, 2 * PAGES.length);
});

test('no matrix box cuts off the number it holds, on any page', () => {
  assert.deepEqual(found.cut, []);
  assert.ok(counts.boxes > 150, `only ${counts.boxes} boxes found`);
});

test('the transformer diagram is on the index and on every lesson, with the parts that lesson builds highlighted', () => {
  assert.deepEqual(found.diagram, []);
});

test('no console errors, page errors or off-site requests on any page visited', () => {
  assert.deepEqual(problems, []);
});
