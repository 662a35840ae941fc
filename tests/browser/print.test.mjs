// The class pack on paper, printed by headless Chromium as a teacher would (page.pdf): the
// worksheets (two pages a lesson, A4 and US Letter), the answer keys, and each lesson's slides
// as a handout. For each: the page count, no blank page (every page of the PDF draws text), and
// nothing taller than a page (measured in print layout at the paper's width, so nothing is cut or
// split). Every answer in the keys is typed back into the checks module that grades the pages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { manifest, newPage, openSite, widgetsReady } from './harness.mjs';
import { pdfPages } from './pdf.mjs';

const lessons = manifest.lessons;
// The paper, inside 12 mm margins (the site's @page), in CSS pixels (96 to the inch).
const mm = 96 / 25.4;
const PAPER = {
  A4: { width: 210, height: 297, points: [595.9, 842.9] },
  Letter: { width: 215.9, height: 279.4, points: [612, 792] },
};
const inside = (f) => ({ width: Math.floor((PAPER[f].width - 24) * mm), height: Math.floor((PAPER[f].height - 24) * mm) });
let site;

before(async () => {
  site = await openSite();
});
after(async () => site?.close());

/** Prints the page to PDF on that paper and returns its pages, after checking their size and that none is blank. */
async function print(page, format, what) {
  const pages = pdfPages(await page.pdf({ format }));
  pages.forEach((p, k) => {
    assert.ok(Math.abs(p.width - PAPER[format].points[0]) < 1 && Math.abs(p.height - PAPER[format].points[1]) < 1,
      `${what}, ${format}: page ${k + 1} is ${p.width} × ${p.height} pt`);
    assert.ok(p.drawsText > 0, `${what}, ${format}: page ${k + 1} of ${pages.length} is blank`);
  });
  return pages;
}

/** The heights (px) of `selector`'s elements as laid out for print on that paper, with their labels. */
async function printHeights(page, format, selector) {
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: inside(format).width, height: inside(format).height });
  const out = await page.$$eval(selector, (es) => es.filter((e) => e.getClientRects().length)
    .map((e) => ({ label: e.id || `${e.tagName.toLowerCase()}.${e.className} in #${e.closest('[id]')?.id}`, height: e.getBoundingClientRect().height })));
  await page.emulateMedia({ media: null });  // (not 'screen': page.pdf() would print with screen media)
  return out;
}

function assertFits(heights, format, what) {
  const room = inside(format).height;
  const over = heights.filter((h) => h.height > room).map((h) => `${h.label}: ${Math.round(h.height / mm)} mm`);
  assert.deepEqual(over, [], `${what} taller than a ${format} page (${Math.round(room / mm)} mm inside the margins)`);
}

test('the worksheets print two pages a lesson, on A4 and on US Letter, each page whole and none blank', async () => {
  const page = await newPage(site);
  await page.goto(`${site.base}/worksheets.html`);
  await page.locator('[data-worksheets][data-ready="true"]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.error-banner').count(), 0);
  // What each sheet holds: its picture, goals, the self-checks, and exercises with room and boxes.
  for (const l of lessons) {
    const sheet = page.locator(`[data-sheet="${l.slug}"]`);
    assert.equal(await sheet.locator('.sheet-front .diagram-wide .built').count(), l.parts.length, `${l.slug}: the picture`);
    assert.equal(await sheet.locator('.sheet-goals li').count(), l.goals.length, `${l.slug}: the goals`);
    assert.ok(await sheet.locator('[data-sheet-checks] .sheet-item').count() >= 3, `${l.slug}: the self-checks`);
    const papers = sheet.locator('[data-sheet-paper] .sheet-item');
    assert.ok(await papers.count() >= 1, `${l.slug}: a pencil-and-paper exercise`);
    for (const p of await papers.all()) {
      assert.equal(await p.locator('.work-space').count(), 1, `${l.slug}: room to work`);
      assert.equal(await p.locator('.answer-grid td:empty, .blank').count() > 0, true, `${l.slug}: boxes to answer in`);
    }
    assert.match(await sheet.locator('.sheet-commands').textContent(), new RegExp(`\\./lab check ${lessons.indexOf(l) + 1}\\b`));
  }
  for (const format of ['A4', 'Letter']) {
    assertFits(await printHeights(page, format, '.sheet-page'), format, 'a worksheet page');
    const pages = await print(page, format, 'the worksheets');
    assert.equal(pages.length, 2 * lessons.length, `${format}: two pages for each of the ${lessons.length} lessons`);
  }
  // One lesson's sheet alone: its two pages.
  await page.goto(`${site.base}/worksheets.html?lesson=${lessons[7].slug}`);
  await page.locator('[data-worksheets][data-ready="true"]').waitFor({ timeout: 20000 });
  assert.equal((await print(page, 'A4', 'one worksheet')).length, 2);
  assert.deepEqual(page.problems, []);
});

test('the answer keys print each lesson from a new page, none blank, and every answer grades right on the page', async () => {
  const page = await newPage(site);
  await page.goto(`${site.base}/answers.html`);
  await page.locator('[data-answers][data-ready="true"]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.error-banner').count(), 0);
  // The same questions as the worksheets, each with its answer, and a worked answer for every exercise on paper.
  const keyed = await page.$$eval('[data-key]', (ks) => ks.map((k) => ({
    slug: k.dataset.key,
    items: [...k.querySelectorAll('.key-item')].map((i) => ({
      id: i.dataset.id, answer: i.dataset.answer, paper: i.classList.contains('paper'),
      steps: i.querySelectorAll('.key-steps li').length,
      boxes: i.querySelectorAll('.answer-grid td').length,
      filled: [...i.querySelectorAll('.answer-grid td')].filter((td) => td.textContent.trim() !== '').length,
    })),
    hints: k.querySelectorAll('.key-hints li').length,
  })));
  assert.deepEqual(keyed.map((k) => k.slug), lessons.map((l) => l.slug));
  let answers = 0;
  for (const k of keyed) {
    assert.equal(k.hints, 3, `${k.slug}: the exercise's three hints`);
    assert.ok(k.items.filter((i) => i.paper).length >= 1, k.slug);
    for (const i of k.items) {
      assert.ok(i.answer, i.id);
      if (i.paper) assert.ok(i.steps >= 1, `${i.id}: worked`);
      assert.equal(i.filled, i.boxes, `${i.id}: every box of the key filled`);
      if (i.boxes) assert.equal(i.answer.split(', ').length, i.boxes, `${i.id}: one number a box`);
      ++answers;
    }
  }
  // Typed back into the module that grades the lesson pages, every answer of the key is right.
  const wrong = await page.evaluate(async (items) => {
    const checks = await (await import('./assets/checks/checks.mjs')).default();
    const grade = async (i) => {
      let g = checks.grade(i.id, i.answer);
      if (!g.ok && /model is not loaded/.test(g.error)) {  // lessons 16-18 answer a few from the course's model
        checks.use_model(new Uint8Array(await (await fetch('assets/model/course.weights')).arrayBuffer()));
        g = checks.grade(i.id, i.answer);
      }
      return g.ok && g.correct ? null : `${i.id}: ${i.answer} ${g.error ?? ''}`;
    };
    const out = [];
    for (const i of items) out.push(await grade(i));
    return out.filter(Boolean);
  }, keyed.flatMap((k) => k.items));
  assert.deepEqual(wrong, []);
  assert.ok(answers >= 3 * lessons.length + lessons.length);
  for (const format of ['A4', 'Letter']) {
    assertFits(await printHeights(page, format, '.key-item'), format, 'an answer');
    const pages = await print(page, format, 'the answer keys');
    // Each lesson starts a page; an answer is never split, so a lesson fills whole pages from its first.
    const keys = await printHeights(page, format, '.key');
    const most = keys.reduce((n, k) => n + Math.ceil(k.height / inside(format).height) + 1, 0);
    assert.ok(pages.length >= lessons.length && pages.length <= most, `${format}: ${pages.length} pages for ${lessons.length} keys`);
  }
  assert.deepEqual(page.problems, []);
});

test('every lesson is a deck of slides, stepped by keyboard and clicker keys, that prints as a handout', async () => {
  const page = await newPage(site);
  for (const l of lessons) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${site.base}/lessons/${l.slug}/index.html`);
    await widgetsReady(page);
    await page.keyboard.press('p');
    const count = () => page.locator('.slide-count').textContent();
    const n = Number((await count()).split('/')[1]);
    const widgets = await page.locator('main.lesson > section[data-widget]').count();
    assert.ok(n >= 2 + widgets, `${l.slug}: ${n} slides for ${widgets} widgets`);
    assert.equal(await count(), `1 / ${n}`);
    // One slide at a time: the title slide shows the title and the picture, not the widgets.
    assert.equal(await page.locator('main.lesson h1').isVisible(), true);
    assert.equal(await page.locator('main.lesson > section[data-widget]').first().isVisible(), false);
    await page.keyboard.press('PageDown');  // a clicker's "next"
    assert.equal(await count(), `2 / ${n}`);
    assert.equal(await page.locator('main.lesson > .on-slide').count() >= 1, true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('PageUp');   // a clicker's "previous"
    assert.equal(await count(), `2 / ${n}`);
    await page.keyboard.press('End');
    assert.equal(await count(), `${n} / ${n}`);
    assert.equal(await page.locator('main.lesson > .selfchecks').isVisible(), true, `${l.slug}: the self-checks close the deck`);
    await page.keyboard.press('Home');
    assert.equal(await count(), `1 / ${n}`);
    // The handout: every slide, in order, none split across pages, none blank.
    const format = l === lessons[0] ? 'Letter' : 'A4';
    // Every slide but a widget, a code listing and the self-checks fits a page whole; in those, every picture does
    // (a widget taller than a page goes on over the next, and nothing of it is cut).
    assertFits(await printHeights(page, format, ['main.lesson > [data-slide]:not([data-widget], .selfchecks, figure.code)',
      ...['svg', 'canvas', 'img', 'tr', '[data-matrix]'].map((x) => `main.lesson > [data-slide] ${x}`)].join(', ')), format, `${l.slug}: a slide`);
    const pages = await print(page, format, `${l.slug}'s handout`);
    const tall = await printHeights(page, format, 'main.lesson > [data-slide]');
    const most = tall.reduce((k, h) => k + Math.ceil(h.height / inside(format).height), 0);
    assert.ok(pages.length >= 1 && pages.length <= most, `${l.slug}: ${pages.length} pages for ${n} slides`);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('section[data-widget]').first().isVisible(), true, `${l.slug}: Esc gives the page back`);
  }
  assert.deepEqual(page.problems, []);
});
